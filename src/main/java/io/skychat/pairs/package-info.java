/**
 * Pairs at run time: the consent handshake over the chat link ({@code pair-invite} → {@code pair-ack} |
 * {@code pair-decline}), persisted pair records, and the two CXO feeds of an active pair whose leaves are
 * sealed with {@code io.skychat.pair}. Storage is behind {@link io.skychat.pairs.PairStore}.
 */
package io.skychat.pairs;
