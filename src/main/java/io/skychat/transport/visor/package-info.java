/**
 * The skywire app protocol as values and bytes, without sockets: {@code PROC_CONFIG}, the Hello frame, and
 * Go net/rpc over gob with the argument and reply types of every app call, for both the app and the visor side.
 */
package io.skychat.transport.visor;
