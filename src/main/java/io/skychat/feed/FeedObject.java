package io.skychat.feed;

/** One content-addressed object as the store and the wire hold it: its key is SHA-256 of its bytes. */
public record FeedObject(Hash key, byte[] bytes) {

    public FeedObject {
        bytes = bytes.clone();
        if (!Hash.of(bytes).equals(key)) {
            throw FeedException.objectMismatch(key);
        }
    }

    public static FeedObject of(byte[] bytes) {
        return new FeedObject(Hash.of(bytes), bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeedObject f && key.equals(f.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return "FeedObject[" + key.hex() + ", " + bytes.length + " bytes]";
    }

    /** The bytes without a copy, for decoders in this package that only read them. */
    byte[] view() {
        return bytes;
    }
}
