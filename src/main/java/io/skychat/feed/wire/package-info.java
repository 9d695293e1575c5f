/**
 * The CXO node protocol's messages and stream framing: pure codecs ({@code byte[]} in, typed values out)
 * that a node over any byte stream builds on.
 */
package io.skychat.feed.wire;
