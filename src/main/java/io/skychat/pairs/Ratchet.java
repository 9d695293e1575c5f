package io.skychat.pairs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.pair.Epoch;
import io.skychat.pair.RatchetAnnounce;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One pair's epoch ratchet. Our side has a ratchet key of generation g (announced at {@code ratchet/<g>} in
 * the same batch as a send); once the peer has announced its own, messages are sealed under the epoch of
 * the two keys, and never again under the static key. After {@code rotateAfter} messages sealed with our
 * ratchet key, or {@code rotateAge} after its first use, a new generation replaces ours (each side counts
 * its own sends, so both rotate whoever talks more). The ring keeps the last
 * {@value #RING} epoch keys (any of our recent ratchet keys with any key the peer announced), so messages
 * sealed before a rotation still open. Not thread-safe: the pair's session serializes calls.
 */
final class Ratchet {

    static final int RING = 256;
    /** Our earlier ratchet keys still kept, for messages the peer sealed before it saw our rotation. */
    static final int KEEP_OWN = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    private long generation;
    private KeyPair current;
    private boolean announced;
    private final ArrayDeque<KeyPair> previous = new ArrayDeque<>();
    private long peerGeneration;
    private PeerKey peerKey;
    private final List<PeerKey> peerKeys = new ArrayList<>();
    private int sealed;
    private Instant epochStart;
    private final LinkedHashMap<String, byte[]> ring = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > RING;
        }
    };

    static Ratchet fresh() {
        Ratchet r = new Ratchet();
        r.generation = 1;
        r.current = KeyPair.generate();
        return r;
    }

    long generation() {
        return generation;
    }

    int ringSize() {
        return ring.size();
    }

    boolean peerAnnounced() {
        return peerKey != null;
    }

    /**
     * What one send needs: the announcement to put in the batch (null when ours is out already) and the epoch
     * to seal under (null: the static key, the peer has not announced yet). Rotates first when due.
     */
    record Step(RatchetAnnounce announce, Epoch epoch) {
    }

    Step beforeSend(KeyPair identity, Instant now, int rotateAfter, Duration rotateAge) {
        if (peerKey != null && epochStart != null
                && (sealed >= rotateAfter || !now.isBefore(epochStart.plus(rotateAge)))) {
            previous.addFirst(current);
            while (previous.size() > KEEP_OWN) {
                previous.removeLast().destroy();
            }
            current = KeyPair.generate();
            generation++;
            announced = false;
            sealed = 0;
            epochStart = null;
        }
        RatchetAnnounce announce = null;
        if (!announced) {
            announce = RatchetAnnounce.sign(generation, current.publicKey(), now, identity);
            announced = true;
        }
        if (peerKey == null) {
            return new Step(announce, null);
        }
        Epoch epoch = Epoch.derive(current, peerKey);
        ring.put(epoch.idHex(), epoch.key());
        if (epochStart == null) {
            epochStart = now;
        }
        sealed++;
        return new Step(announce, epoch);
    }

    /** Takes a verified announcement of the peer; true when it brought epochs not known before. */
    boolean peerAnnounced(RatchetAnnounce a) {
        boolean known = peerKeys.contains(a.ratchetPk());
        if (!known) {
            peerKeys.add(a.ratchetPk());
            while (peerKeys.size() > KEEP_OWN * 4) {
                peerKeys.remove(0);
            }
        }
        if (a.generation() > peerGeneration) {
            peerGeneration = a.generation();
            peerKey = a.ratchetPk(); // our own count goes on: each side rotates its key on its own sends
        }
        int before = ring.size();
        remember(current, a.ratchetPk());
        for (KeyPair own : previous) {
            remember(own, a.ratchetPk());
        }
        return !known || ring.size() != before;
    }

    private void remember(KeyPair own, PeerKey peer) {
        Epoch e = Epoch.derive(own, peer);
        if (!ring.containsKey(e.idHex())) {
            ring.put(e.idHex(), e.key());
        }
    }

    /** The epoch named by an envelope, or null when it is not in the ring. */
    Epoch epoch(String idHex) {
        byte[] key = ring.get(idHex);
        return key == null ? null : new Epoch(HEX.parseHex(idHex), key);
    }

    String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("generation", generation);
        n.put("sk", hex(current));
        n.put("announced", announced);
        ArrayNode prev = n.putArray("previous");
        previous.forEach(k -> prev.add(hex(k)));
        n.put("peer_generation", peerGeneration);
        if (peerKey != null) {
            n.put("peer_pk", peerKey.hex());
        }
        ArrayNode peers = n.putArray("peer_keys");
        peerKeys.forEach(k -> peers.add(k.hex()));
        n.put("sealed", sealed);
        if (epochStart != null) {
            n.put("epoch_start", epochStart.toEpochMilli());
        }
        ObjectNode r = n.putObject("ring");
        ring.forEach((id, key) -> r.put(id, HEX.formatHex(key)));
        return JSON.writeValueAsString(n);
    }

    private static String hex(KeyPair k) {
        byte[] sk = k.secret();
        try {
            return HEX.formatHex(sk);
        } finally {
            java.util.Arrays.fill(sk, (byte) 0);
        }
    }

    static Ratchet fromJson(String json) {
        if (json == null || json.isBlank()) {
            return fresh();
        }
        JsonNode n = JSON.readTree(json);
        Ratchet r = new Ratchet();
        r.generation = n.path("generation").asLong(1);
        r.current = KeyPair.fromSecretHex(n.path("sk").asString());
        r.announced = n.path("announced").asBoolean(false);
        n.path("previous").forEach(p -> r.previous.addLast(KeyPair.fromSecretHex(p.asString())));
        r.peerGeneration = n.path("peer_generation").asLong(0);
        if (n.hasNonNull("peer_pk")) {
            r.peerKey = PeerKey.parse(n.path("peer_pk").asString());
        }
        n.path("peer_keys").forEach(p -> r.peerKeys.add(PeerKey.parse(p.asString())));
        r.sealed = n.path("sealed").asInt(0);
        if (n.hasNonNull("epoch_start")) {
            r.epochStart = Instant.ofEpochMilli(n.path("epoch_start").asLong());
        }
        n.path("ring").properties().forEach(e -> r.ring.put(e.getKey(), HEX.parseHex(e.getValue().asString())));
        return r;
    }
}
