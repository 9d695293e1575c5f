/**
 * secp256k1 keys, skycoin-style signatures and the Noise handshake/transport used by dmsg and
 * skywire, wire-compatible with the upstream Go code. The only package allowed to use BouncyCastle.
 */
package io.skychat.crypto;
