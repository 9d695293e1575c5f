package io.skychat.feed;

import io.skychat.core.PeerKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * upstream {@code registry.Root}, the signed head of a feed: {Refs []Dynamic, Descriptor []byte,
 * Reg, Pub, Nonce u64, Seq u64, Time i64 (unix ns), Prev}. Sig and Hash are not part of the encoding.
 */
public record Root(List<Dynamic> refs, byte[] descriptor, Hash reg, PeerKey pub, long nonce, long seq,
        long time, Hash prev) {

    /** Bounds for decoding what a peer sent; a treestore Root has one Dynamic and no descriptor. */
    static final int MAX_REFS = 1024;

    public Root {
        if (refs == null || descriptor == null || reg == null || pub == null || prev == null) {
            throw new IllegalArgumentException("every Root field is required (descriptor may be empty)");
        }
        refs = List.copyOf(refs);
        descriptor = descriptor.clone();
        if (seq == 0 && !prev.isZero()) {
            throw new IllegalArgumentException("the first Root (seq 0) has no previous one");
        }
    }

    @Override
    public byte[] descriptor() {
        return descriptor.clone();
    }

    public byte[] encode() {
        SkyWriter w = new SkyWriter(200).count(refs.size());
        refs.forEach(d -> d.write(w));
        w.bytes(descriptor);
        reg.write(w);
        w.raw(pub.toBytes()).u64(nonce).u64(seq).u64(time);
        prev.write(w);
        return w.toByteArray();
    }

    /** The Root's key: SHA-256 of its encoding, which its signature covers. */
    public Hash hash() {
        return Hash.of(encode());
    }

    /** Strict: trailing bytes are refused (upstream's DecodeRoot ignores them; no upstream Root has any). */
    public static Root decode(byte[] value) {
        SkyReader in = new SkyReader(value, "Root");
        int n = in.count(2 * Hash.LENGTH);
        if (n > MAX_REFS) {
            throw FeedException.malformed("Root has " + n + " refs, more than " + MAX_REFS);
        }
        List<Dynamic> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(Dynamic.read(in));
        }
        byte[] descriptor = in.bytes();
        Hash reg = Hash.read(in);
        byte[] pub = in.raw(PeerKey.LENGTH);
        long nonce = in.u64();
        long seq = in.u64();
        long time = in.u64();
        Hash prev = Hash.read(in);
        in.end();
        try {
            return new Root(refs, descriptor, reg, PeerKey.of(pub), nonce, seq, time, prev);
        } catch (IllegalArgumentException e) {
            throw FeedException.malformed("Root: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Root r && Arrays.equals(encode(), r.encode());
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return "Root[" + pub.hex() + "/" + nonce + "/" + seq + " refs=" + refs + " descriptor="
                + HexFormat.of().formatHex(descriptor) + "]";
    }
}
