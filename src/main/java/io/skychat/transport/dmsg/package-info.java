/**
 * dmsg, the relay network, wire-compatible with upstream: the discovery entry, the yamux session that runs
 * on the raw TCP connection after the XK handshake, and the session-encrypted objects on its streams. The
 * pieces here are pure (bytes in, values or actions out); a Netty adapter drives them.
 */
package io.skychat.transport.dmsg;
