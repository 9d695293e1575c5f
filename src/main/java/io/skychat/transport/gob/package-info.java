/**
 * Go's {@code encoding/gob} wire format as pure functions of bytes: type definitions read and written per
 * stream, values decoded into a {@link io.skychat.transport.gob.GobValue} tree and matched to our types by
 * field name, because gob type ids are local to the process that sent them.
 */
package io.skychat.transport.gob;
