package io.skychat.transport.dmsg;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One yamux frame: a 12-byte header {@code version 0 | type | flags u16 | stream id u32 | length u32}
 * (big endian), and for Data the body. All u32 fields are held as non-negative longs.
 */
sealed interface YamuxFrame {

    int HEADER_LENGTH = 12;
    int VERSION = 0;

    int TYPE_DATA = 0;
    int TYPE_WINDOW_UPDATE = 1;
    int TYPE_PING = 2;
    int TYPE_GO_AWAY = 3;

    int SYN = 1;
    int ACK = 2;
    int FIN = 4;
    int RST = 8;

    long GO_AWAY_NORMAL = 0;
    long GO_AWAY_PROTOCOL_ERROR = 1;
    long GO_AWAY_INTERNAL_ERROR = 2;

    long MAX_U32 = 0xFFFF_FFFFL;

    int type();

    int flags();

    long streamId();

    /** The header's length field: body length, window delta, ping id or go-away code. */
    long length();

    default boolean has(int flag) {
        return (flags() & flag) == flag;
    }

    /** Header followed by the body, if any. */
    default byte[] encode() {
        byte[] body = this instanceof Data d ? d.body : new byte[0];
        byte[] out = new byte[HEADER_LENGTH + body.length];
        out[0] = VERSION;
        out[1] = (byte) type();
        out[2] = (byte) (flags() >>> 8);
        out[3] = (byte) flags();
        putU32(out, 4, streamId());
        putU32(out, 8, length());
        System.arraycopy(body, 0, out, HEADER_LENGTH, body.length);
        return out;
    }

    record Data(int flags, long streamId, byte[] body) implements YamuxFrame {
        public Data {
            checkFlags(flags);
            checkU32("stream id", streamId);
            body = body.clone();
        }

        @Override
        public int type() {
            return TYPE_DATA;
        }

        @Override
        public long length() {
            return body.length;
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.flags == flags && d.streamId == streamId && Arrays.equals(d.body, body);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(streamId) * 31 + Arrays.hashCode(body) + flags;
        }

        @Override
        public String toString() {
            return "Data[flags=" + flags + ", streamId=" + streamId + ", length=" + body.length + "]";
        }
    }

    record WindowUpdate(int flags, long streamId, long delta) implements YamuxFrame {
        public WindowUpdate {
            checkFlags(flags);
            checkU32("stream id", streamId);
            checkU32("window delta", delta);
        }

        @Override
        public int type() {
            return TYPE_WINDOW_UPDATE;
        }

        @Override
        public long length() {
            return delta;
        }
    }

    /** SYN asks, ACK answers with the same opaque id; always on stream 0. */
    record Ping(int flags, long opaque) implements YamuxFrame {
        public Ping {
            checkFlags(flags);
            checkU32("ping id", opaque);
        }

        @Override
        public int type() {
            return TYPE_PING;
        }

        @Override
        public long streamId() {
            return 0;
        }

        @Override
        public long length() {
            return opaque;
        }
    }

    record GoAway(long code) implements YamuxFrame {
        public GoAway {
            checkU32("go-away code", code);
        }

        @Override
        public int type() {
            return TYPE_GO_AWAY;
        }

        @Override
        public int flags() {
            return 0;
        }

        @Override
        public long streamId() {
            return 0;
        }

        @Override
        public long length() {
            return code;
        }
    }

    /**
     * Decodes the frame at {@code off}, or returns null if fewer than its bytes are there yet. A Data
     * length above {@code maxData} is refused before its body is awaited, so a peer cannot make us buffer it.
     */
    static Decoded decode(byte[] buf, int off, int len, long maxData) {
        if (len < HEADER_LENGTH) {
            return null;
        }
        int version = buf[off] & 0xff;
        if (version != VERSION) {
            throw YamuxException.fatal(YamuxException.Reason.BAD_VERSION, "invalid protocol version " + version);
        }
        int type = buf[off + 1] & 0xff;
        int flags = ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
        long streamId = getU32(buf, off + 4);
        long length = getU32(buf, off + 8);
        return switch (type) {
            case TYPE_DATA -> {
                if (length > maxData) {
                    throw YamuxException.protocol(YamuxException.Reason.FRAME_TOO_LARGE, "data frame of " + length
                            + " bytes on stream " + streamId + " exceeds the " + maxData + "-byte window");
                }
                if (len - HEADER_LENGTH < length) {
                    yield null;
                }
                byte[] body = Arrays.copyOfRange(buf, off + HEADER_LENGTH, off + HEADER_LENGTH + (int) length);
                yield new Decoded(new Data(flags, streamId, body), HEADER_LENGTH + (int) length);
            }
            case TYPE_WINDOW_UPDATE -> new Decoded(new WindowUpdate(flags, streamId, length), HEADER_LENGTH);
            case TYPE_PING -> new Decoded(new Ping(flags, length), HEADER_LENGTH);
            case TYPE_GO_AWAY -> new Decoded(new GoAway(length), HEADER_LENGTH);
            default -> throw YamuxException.fatal(YamuxException.Reason.UNKNOWN_TYPE,
                    "invalid message type " + type + " in header " + HexFormat.of().formatHex(buf, off, off + HEADER_LENGTH));
        };
    }

    /** A decoded frame and how many bytes it took. */
    record Decoded(YamuxFrame frame, int consumed) {
    }

    private static void checkFlags(int flags) {
        if (flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("flags must fit 16 bits: " + flags);
        }
    }

    private static void checkU32(String what, long v) {
        if (v < 0 || v > MAX_U32) {
            throw new IllegalArgumentException(what + " must fit 32 bits unsigned: " + v);
        }
    }

    private static void putU32(byte[] out, int at, long v) {
        out[at] = (byte) (v >>> 24);
        out[at + 1] = (byte) (v >>> 16);
        out[at + 2] = (byte) (v >>> 8);
        out[at + 3] = (byte) v;
    }

    private static long getU32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
