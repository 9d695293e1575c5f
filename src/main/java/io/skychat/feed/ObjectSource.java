package io.skychat.feed;

/** Where a walk looks objects up: a store, a cache, the objects of one publish. */
@FunctionalInterface
public interface ObjectSource {

    /** The object's bytes, or null when this source does not hold it (yet). */
    byte[] get(Hash key);
}
