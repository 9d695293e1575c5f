package io.skychat.pair;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An epoch-sealed pair leaf (upstream {@code sealEnvelope}): {@code "SKP1"} then JSON
 * {@code {"e":<epoch id hex>,"b":<base64 of nonce ‖ ciphertext ‖ tag>}}. A leaf without it is legacy and
 * opens with the static pair key.
 *
 * @param epochId the 8-byte epoch id, in the clear so the receiver can pick the key
 * @param body    {@code nonce(12) ‖ ChaCha20-Poly1305 ciphertext ‖ tag}
 */
public record EpochEnvelope(byte[] epochId, byte[] body) {

    static final byte[] MAGIC = {'S', 'K', 'P', '1'};
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    public EpochEnvelope {
        if (epochId.length != Epoch.ID_LENGTH) {
            throw new IllegalArgumentException("an epoch id is " + Epoch.ID_LENGTH + " bytes");
        }
        epochId = epochId.clone();
        body = body.clone();
    }

    public static EpochEnvelope seal(Epoch epoch, byte[] plaintext) {
        return new EpochEnvelope(epoch.id(), PairCipher.seal(epoch.key(), plaintext));
    }

    /** With a given nonce: for vectors only. */
    static EpochEnvelope seal(Epoch epoch, byte[] nonce, byte[] plaintext) {
        return new EpochEnvelope(epoch.id(), PairCipher.seal(epoch.key(), nonce, plaintext));
    }

    public byte[] encode() {
        String json = "{\"e\":\"" + HEX.formatHex(epochId) + "\",\"b\":\"" + Base64.getEncoder().encodeToString(body) + "\"}";
        byte[] j = json.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(MAGIC, MAGIC.length + j.length);
        System.arraycopy(j, 0, out, MAGIC.length, j.length);
        return out;
    }

    /** Empty for a legacy leaf, as upstream: a missing magic, bad JSON or a bad id all mean "not an envelope". */
    public static Optional<EpochEnvelope> parse(byte[] leaf) {
        if (leaf.length < MAGIC.length || !Arrays.equals(leaf, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(Arrays.copyOfRange(leaf, MAGIC.length, leaf.length));
            String e = n.path("e").asString("");
            if (e.length() != Epoch.ID_LENGTH * 2) {
                return Optional.empty();
            }
            byte[] body = n.path("b").isString() ? Base64.getDecoder().decode(n.get("b").asString()) : new byte[0];
            return Optional.of(new EpochEnvelope(HexFormat.of().parseHex(e.toLowerCase(java.util.Locale.ROOT)), body));
        } catch (JacksonException | IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    /** Opens with {@code epoch}, which must be the one this envelope names. */
    public byte[] open(Epoch epoch) {
        if (!Arrays.equals(epoch.id(), epochId)) {
            throw PairException.cannotOpen("sealed under epoch " + HEX.formatHex(epochId) + ", not " + epoch.idHex());
        }
        return PairCipher.open(epoch.key(), body);
    }

    public String epochHex() {
        return HEX.formatHex(epochId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochEnvelope x && Arrays.equals(x.epochId, epochId) && Arrays.equals(x.body, body);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(epochId) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "EpochEnvelope[" + epochHex() + ", " + body.length + " bytes]";
    }
}
