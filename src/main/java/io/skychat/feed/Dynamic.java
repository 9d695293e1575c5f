package io.skychat.feed;

/** upstream {@code registry.Dynamic}: an object key and the reference of the schema it has (64 bytes). */
public record Dynamic(Hash object, Hash schema) {

    public Dynamic {
        if (object == null || schema == null) {
            throw new IllegalArgumentException("object and schema are required");
        }
    }

    void write(SkyWriter w) {
        object.write(w);
        schema.write(w);
    }

    static Dynamic read(SkyReader in) {
        return new Dynamic(Hash.read(in), Hash.read(in));
    }
}
