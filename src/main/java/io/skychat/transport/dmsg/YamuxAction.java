package io.skychat.transport.dmsg;

import java.util.Arrays;

/** What the adapter must do after {@link YamuxSession} took in a frame. */
sealed interface YamuxAction {

    /** Write these bytes to the connection, in order with the other writes. */
    record Write(byte[] bytes) implements YamuxAction {
        public Write {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Write w && Arrays.equals(w.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Write[" + bytes.length + " bytes]";
        }
    }

    /** The peer opened a stream; call {@link YamuxSession#accept} to answer it. */
    record Incoming(long streamId) implements YamuxAction {
    }

    /** The peer acknowledged a stream we opened. */
    record Established(long streamId) implements YamuxAction {
    }

    /** Bytes for the stream; call {@link YamuxSession#consumed} once the application has taken them. */
    record DataReceived(long streamId, byte[] data) implements YamuxAction {
        public DataReceived {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DataReceived d && d.streamId == streamId && Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(streamId) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "DataReceived[streamId=" + streamId + ", " + data.length + " bytes]";
        }
    }

    /** The peer granted more send window; writes that waited may go on. */
    record SendWindow(long streamId, long window) implements YamuxAction {
    }

    /** The peer will send no more on this stream (FIN); we may still write. */
    record RemoteClosed(long streamId) implements YamuxAction {
    }

    /** Both sides have closed the stream; it is gone. */
    record Closed(long streamId) implements YamuxAction {
    }

    /** The peer reset the stream; it is gone and unread data is lost. */
    record Reset(long streamId) implements YamuxAction {
    }

    /** The answer to one of our pings arrived. */
    record Pong(long opaque) implements YamuxAction {
    }

    /** The peer accepts no new streams (GoAway normal); open ones go on. */
    record RemoteGoAway() implements YamuxAction {
    }

    /**
     * A frame for a stream we no longer know, dropped as upstream does (it is usually in flight after a
     * reset); {@code length} is the Data body skipped, 0 for a window update.
     */
    record Discarded(long streamId, int type, long length) implements YamuxAction {
    }
}
