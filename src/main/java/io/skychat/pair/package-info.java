/**
 * skychat 1:1 pairs as upstream {@code pkg/skychat/pairing} defines them, with no I/O: the pair port,
 * the legacy static-key seal, message leaves, forward-secret epochs, "SKP1" envelopes and signed
 * ratchet announcements. The feeds that carry them are {@code io.skychat.feed}.
 */
package io.skychat.pair;
