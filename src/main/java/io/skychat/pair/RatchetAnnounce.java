package io.skychat.pair;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.SignatureException;
import io.skychat.crypto.Signatures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One side's current ratchet public key, published at {@code ratchet/<generation>} on its own pair feed
 * (upstream {@code pairing/ratchet.go}) and signed with its identity key over canonical bytes
 * {@code 0x01 ‖ BE64 generation ‖ ratchet key ‖ BE64 issued_at unixnano ‖ issuer key}, hashed once by
 * SignPayload.
 */
public record RatchetAnnounce(long generation, PeerKey ratchetPk, Instant issuedAt, PeerKey issuerPk, byte[] signature) {

    public static final String PATH_PREFIX = "ratchet";
    private static final byte VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    public RatchetAnnounce {
        if (generation == 0 || ratchetPk == null || issuedAt == null || issuerPk == null
                || signature == null || signature.length != Signatures.LENGTH) {
            throw new IllegalArgumentException("announcement is missing required fields");
        }
        signature = signature.clone();
    }

    /** Signs generation {@code generation} of {@code ratchetPk} as {@code identity}. */
    public static RatchetAnnounce sign(long generation, PeerKey ratchetPk, Instant issuedAt, KeyPair identity) {
        byte[] canonical = canonical(generation, ratchetPk, issuedAt, identity.publicKey());
        return new RatchetAnnounce(generation, ratchetPk, issuedAt, identity.publicKey(), Signatures.sign(canonical, identity));
    }

    public byte[] canonicalBytes() {
        return canonical(generation, ratchetPk, issuedAt, issuerPk);
    }

    private static byte[] canonical(long generation, PeerKey ratchetPk, Instant issuedAt, PeerKey issuer) {
        return ByteBuffer.allocate(1 + 8 + PeerKey.LENGTH + 8 + PeerKey.LENGTH).put(VERSION).putLong(generation)
                .put(ratchetPk.toBytes()).putLong(GoJson.unixNano(issuedAt)).put(issuer.toBytes()).array();
    }

    /** Must be issued by the peer whose feed it was read from, or it authenticates nothing. */
    public void verify(PeerKey expectedIssuer) {
        if (!issuerPk.equals(expectedIssuer)) {
            throw PairException.badAnnouncement("issued by " + issuerPk + ", want " + expectedIssuer);
        }
        try {
            Signatures.verify(issuerPk, signature, canonicalBytes());
        } catch (SignatureException e) {
            throw PairException.badAnnouncement("bad signature: " + e.getMessage());
        }
    }

    public String leafPath() {
        return PATH_PREFIX + "/" + Long.toUnsignedString(generation);
    }

    public byte[] toJson() {
        return ("{\"generation\":" + Long.toUnsignedString(generation) + ",\"ratchet_pk\":\"" + ratchetPk.hex()
                + "\",\"issued_at\":\"" + GoJson.time(issuedAt) + "\",\"issuer_pk\":\"" + issuerPk.hex()
                + "\",\"signature\":\"" + HEX.formatHex(signature) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** Decodes and verifies against {@code expectedIssuer}, as upstream's unmarshalRatchet. */
    public static RatchetAnnounce fromJson(byte[] json, PeerKey expectedIssuer) {
        RatchetAnnounce a;
        try {
            JsonNode n = JSON.readTree(json);
            a = new RatchetAnnounce(n.path("generation").asLong(0), PeerKey.parse(n.path("ratchet_pk").asString("")),
                    OffsetDateTime.parse(n.path("issued_at").asString("")).toInstant(),
                    PeerKey.parse(n.path("issuer_pk").asString("")), HEX.parseHex(n.path("signature").asString("")));
        } catch (JacksonException | DateTimeParseException | IllegalArgumentException e) {
            throw PairException.badAnnouncement("cannot decode: " + e.getMessage());
        }
        a.verify(expectedIssuer);
        return a;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RatchetAnnounce r && r.generation == generation && r.ratchetPk.equals(ratchetPk)
                && r.issuedAt.equals(issuedAt) && r.issuerPk.equals(issuerPk) && Arrays.equals(r.signature, signature);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(generation) * 31 + ratchetPk.hashCode();
    }
}
