package io.skychat.feed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One publish of a tree store: the signed Root and the objects it reaches (walk order, each key once);
 * {@code fresh} are those not held after the previous publish, which subscribers will request.
 * The Registry and the Root value are stored besides these ({@link TreeSchemas#REGISTRY}).
 */
public record Publication(SignedRoot root, List<FeedObject> objects, List<FeedObject> fresh) {

    public Publication {
        objects = List.copyOf(objects);
        fresh = List.copyOf(fresh);
    }

    /** Serves these objects by key, as a publisher answers RqObject. */
    public ObjectSource source() {
        Map<Hash, FeedObject> byKey = new HashMap<>();
        objects.forEach(o -> byKey.put(o.key(), o));
        return key -> {
            FeedObject o = byKey.get(key);
            return o == null ? null : o.bytes();
        };
    }
}
