package io.skychat.feed;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * upstream {@code registry.Registry} as an object: {@code []{Name string, Schema []byte}} sorted by
 * name (byte order), each Schema the struct's own encoding. Root.Reg is the SHA-256 of this encoding.
 */
public record Registry(List<Schema> structs) {

    static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    public Registry {
        structs = structs.stream().sorted(Comparator.comparing(Schema::name, BYTE_ORDER)).toList();
        for (int i = 1; i < structs.size(); i++) {
            if (structs.get(i).name().equals(structs.get(i - 1).name())) {
                throw new IllegalArgumentException("schema " + structs.get(i).name() + " registered twice");
            }
        }
    }

    public byte[] encode() {
        SkyWriter w = new SkyWriter().count(structs.size());
        for (Schema s : structs) {
            w.string(s.name()).bytes(s.encode());
        }
        return w.toByteArray();
    }

    public Hash reference() {
        return Hash.of(encode());
    }

    public FeedObject object() {
        return FeedObject.of(encode());
    }

    public Schema schema(String name) {
        return structs.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no schema " + name));
    }
}
