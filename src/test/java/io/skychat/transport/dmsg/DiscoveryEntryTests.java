package io.skychat.transport.dmsg;

import static io.skychat.transport.dmsg.WireVectorFiles.bytes;
import static io.skychat.transport.dmsg.WireVectorFiles.hex;
import static io.skychat.transport.dmsg.WireVectorFiles.text;
import static io.skychat.transport.dmsg.WireVectorFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.Signatures;
import io.skychat.transport.dmsg.DiscoveryException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Entries as upstream signs and posts them (discovery_entry.json), and what the parser refuses. */
class DiscoveryEntryTests {

    static final JsonNode V = WireVectorFiles.load("discovery_entry.json");
    static final JsonNode IN = V.get("inputs");
    static final PeerKey CLIENT = PeerKey.parse(text(IN, "client_pk"));
    static final PeerKey SERVER = PeerKey.parse(text(IN, "server_pk"));
    static final long TIMESTAMP = IN.get("timestamp").asLong();

    static DiscoveryEntry clientEntry() {
        return DiscoveryEntry.client(CLIENT, 0, TIMESTAMP, List.of(SERVER));
    }

    static DiscoveryEntry serverEntry() {
        JsonNode server = WireVectorFiles.load("discovery_entry.json"); // address and sessions are in the signed JSON only
        String signed = text(server.get("server_entry"), "signed_json_utf8");
        String address = signed.replaceAll(".*\"address\":\"([^\"]+)\".*", "$1");
        long sessions = Long.parseLong(signed.replaceAll(".*\"availableSessions\":(\\d+).*", "$1"));
        return DiscoveryEntry.server(SERVER, 0, TIMESTAMP, address, sessions);
    }

    static DiscoveryEntry clientEntryNoServers() {
        return DiscoveryEntry.client(CLIENT, 0, TIMESTAMP, List.of());
    }

    @Test
    void signedJsonIsByteExact() throws NoSuchAlgorithmException {
        check(clientEntry(), V.get("client_entry"));
        check(serverEntry(), V.get("server_entry"));
        check(clientEntryNoServers(), V.get("client_entry_no_servers"));
    }

    private static void check(DiscoveryEntry entry, JsonNode vector) throws NoSuchAlgorithmException {
        byte[] signed = entry.signedJson();
        assertThat(new String(signed, StandardCharsets.UTF_8)).isEqualTo(text(vector, "signed_json_utf8"));
        assertThat(hex(signed)).isEqualTo(text(vector, "signed_json_hex"));
        assertThat(hex(MessageDigest.getInstance("SHA-256").digest(signed))).isEqualTo(text(vector, "signed_json_sha256"));
    }

    /** With upstream's (random-nonce) signature put in, the POST body is the captured one, byte for byte. */
    @Test
    void postBodyIsByteExact() {
        for (var c : List.of(new Object[] {clientEntry(), "client_entry"}, new Object[] {serverEntry(), "server_entry"},
                new Object[] {clientEntryNoServers(), "client_entry_no_servers"})) {
            DiscoveryEntry unsigned = (DiscoveryEntry) c[0];
            JsonNode vector = V.get((String) c[1]);
            DiscoveryEntry withUpstreamSig = new DiscoveryEntry(unsigned.version(), unsigned.sequence(), unsigned.timestamp(),
                    unsigned.staticKey(), unsigned.client(), unsigned.clientType(), unsigned.server(), text(vector, "sample_signature"));
            JsonNode post = vector.get("post");
            assertThat(hex(withUpstreamSig.toJson())).as((String) c[1]).isEqualTo(text(post, "body_hex"));
            assertThat(new String(withUpstreamSig.toJson(), StandardCharsets.UTF_8)).isEqualTo(text(post, "body_utf8"));
            assertThat(text(post, "content_type")).isEqualTo("application/json");
            withUpstreamSig.verify();
        }
    }

    /** Upstream's signatures use a random nonce, so they are verified, not compared: parse the captured bodies. */
    @Test
    void upstreamSignedBodiesParseAndVerify() {
        DiscoveryEntry client = DiscoveryEntry.parse(utf8(V.get("client_entry").get("post"), "body_utf8"), CLIENT);
        assertThat(client.signedJson()).isEqualTo(clientEntry().signedJson());
        assertThat(client.client().delegatedServers()).containsExactly(SERVER);
        assertThat(client.signature()).isEqualTo(text(V.get("client_entry"), "sample_signature"));

        DiscoveryEntry server = DiscoveryEntry.parse(utf8(V.get("server_entry").get("post"), "body_utf8"), SERVER);
        assertThat(server).isEqualTo(new DiscoveryEntry(serverEntry().version(), 0, TIMESTAMP, SERVER, null, "",
                serverEntry().server(), text(V.get("server_entry"), "sample_signature")));

        DiscoveryEntry none = DiscoveryEntry.parse(utf8(V.get("client_entry_no_servers").get("post"), "body_utf8"));
        assertThat(none.client().delegatedServers()).isEmpty();
    }

    @Test
    void ourSignatureVerifiesAndRoundTrips() {
        KeyPair key = KeyPair.fromSecretHex(text(IN, "client_sk"));
        DiscoveryEntry signed = clientEntry().sign(key);
        assertThat(signed.signedJson()).isEqualTo(utf8(V.get("client_entry"), "signed_json_utf8"));
        assertThat(DiscoveryEntry.parse(signed.toJson(), CLIENT)).isEqualTo(signed);
        assertThatThrownBy(() -> serverEntry().sign(key)).isInstanceOf(IllegalArgumentException.class);
    }

    /** What the live discovery answered (GET entry, GET all_servers) parses and verifies. */
    @Test
    void liveDiscoveryResponsesVerify() {
        JsonNode results = V.get("live_discovery_checks").get("results");
        DiscoveryEntry got = DiscoveryEntry.parse(utf8(result(results, "GET it back"), "response_body"), CLIENT);
        assertThat(got.signedJson()).isEqualTo(clientEntry().signedJson());

        DiscoveryEntry.ServerList list = DiscoveryEntry.parseServers(utf8(result(results, "GET all_servers"), "response_body"));
        assertThat(list.rejected()).isEmpty();
        assertThat(list.servers()).hasSize(2).allSatisfy(e -> assertThat(e.server().address()).isNotEmpty());
        assertThat(list.servers().get(1).staticKey()).isEqualTo(SERVER);
    }

    @Test
    void discoveryErrorBodiesAreNotEntries() {
        JsonNode results = V.get("live_discovery_checks").get("results");
        byte[] notFound = utf8(result(results, "GET deleted entry -> 404"), "response_body");
        expect(() -> DiscoveryEntry.parse(notFound), Reason.MALFORMED);
        expect(() -> DiscoveryEntry.parseServers(notFound), Reason.MALFORMED);
    }

    @Test
    void aChangedFieldBreaksTheSignature() {
        String body = text(V.get("client_entry").get("post"), "body_utf8");
        expect(() -> DiscoveryEntry.parse(body.replace("\"sequence\":0", "\"sequence\":1").getBytes(StandardCharsets.UTF_8)),
                Reason.BAD_SIGNATURE);
        String otherSig = text(V.get("client_entry_no_servers"), "sample_signature");
        expect(() -> DiscoveryEntry.parse(body.replace(text(V.get("client_entry"), "sample_signature"), otherSig)
                .getBytes(StandardCharsets.UTF_8)), Reason.BAD_SIGNATURE);
        // an unsigned extra field is not what the key signed
        expect(() -> DiscoveryEntry.parse(body.replace("{\"version\"", "{\"extra\":1,\"version\"").getBytes(StandardCharsets.UTF_8)),
                Reason.BAD_SIGNATURE);
    }

    @Test
    void theEntryMustBeTheOneAskedFor() {
        byte[] body = utf8(V.get("client_entry").get("post"), "body_utf8");
        expect(() -> DiscoveryEntry.parse(body, SERVER), Reason.WRONG_KEY);
    }

    @Test
    void anUnsignedEntryIsRefused() {
        expect(() -> DiscoveryEntry.parse(utf8(V.get("client_entry"), "signed_json_utf8")), Reason.NOT_SIGNED);
    }

    /** Fields a newer upstream adds (and signs) are tolerated: they are part of what is verified. */
    @Test
    void signedUnknownFieldsAreTolerated() {
        KeyPair key = KeyPair.fromSecretHex(text(IN, "client_sk"));
        String signed = text(V.get("client_entry"), "signed_json_utf8");
        String newer = signed.substring(0, signed.length() - 1) + ",\"protocol\":\"smux\",\"geo\":{\"lat\":null,\"ok\":true}}";
        String sig = hex(Signatures.sign(newer.getBytes(StandardCharsets.UTF_8), key));
        String body = newer.substring(0, newer.length() - 1) + ",\"signature\":\"" + sig + "\"}";
        DiscoveryEntry e = DiscoveryEntry.parse(body.getBytes(StandardCharsets.UTF_8), CLIENT);
        assertThat(e.signedJson()).isEqualTo(signed.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aServerListKeepsTheGoodEntriesAndNamesTheBadOnes() {
        String server = text(V.get("server_entry").get("post"), "body_utf8");
        String client = text(V.get("client_entry").get("post"), "body_utf8");
        String tampered = server.replace("\"availableSessions\":2048", "\"availableSessions\":2049");
        DiscoveryEntry.ServerList list = DiscoveryEntry.parseServers(
                ("[" + server + "," + client + "," + tampered + "]").getBytes(StandardCharsets.UTF_8));
        assertThat(list.servers()).extracting(DiscoveryEntry::staticKey).containsExactly(SERVER);
        assertThat(list.rejected()).extracting(DiscoveryException::reason).containsExactly(Reason.NOT_A_SERVER, Reason.BAD_SIGNATURE);
        expect(() -> DiscoveryEntry.parseServers(server.getBytes(StandardCharsets.UTF_8)), Reason.MALFORMED);
    }

    @Test
    void nonsenseIsMalformed() {
        String body = text(V.get("client_entry").get("post"), "body_utf8");
        for (String bad : List.of("", "null", "[]", "{", "{\"version\":\"0.0.1\"}", body + "x",
                body.replace("\"sequence\":0", "\"sequence\":-1"), body.replace("\"sequence\":0", "\"sequence\":0.5"),
                body.replace("\"sequence\":0", "\"sequence\":18446744073709551616"),
                body.replace("\"timestamp\":1700000000000000000", "\"timestamp\":\"1700000000000000000\""),
                body.replace(text(IN, "client_pk"), "04" + text(IN, "client_pk").substring(2)),
                body.replace("\"version\":\"0.0.1\"", "\"version\":\"0.0.1\",\"version\":\"0.0.1\""),
                body.replace("\"client\":{", "\"client\":{\"delegated_servers\":[1],\"x\":{"),
                body.replace(text(V.get("client_entry"), "sample_signature"), "zz"),
                text(V.get("server_entry").get("post"), "body_utf8").replace("\"address\":\"127.0.0.1:8081\"", "\"address\":\"\""),
                "{\"version\":\"0.0.1\",\"sequence\":0,\"timestamp\":1,\"static\":\"" + text(IN, "client_pk") + "\"}")) {
            assertThatThrownBy(() -> DiscoveryEntry.parse(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOfSatisfying(DiscoveryException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
                        assertThat(e.type()).isEqualTo("discovery-entry-rejected");
                    });
        }
    }

    /** Characters Go escapes survive our writer and parser: the signature made over one verifies in the other. */
    @Test
    void escapedAddressesRoundTrip() {
        KeyPair key = KeyPair.fromSecretHex(text(IN, "server_sk"));
        DiscoveryEntry e = DiscoveryEntry.server(SERVER, 3, TIMESTAMP, "h\"o\\s\nt\u0001<&>\u2028é😀:1", 1).sign(key);
        assertThat(new String(e.signedJson(), StandardCharsets.UTF_8)).contains("h\\\"o\\\\s\\nt\\u0001<&>\\u2028é😀:1");
        assertThat(DiscoveryEntry.parse(e.toJson(), SERVER)).isEqualTo(e);
    }

    @Test
    void nextIterationRaisesTheSequenceAndNeedsANewSignature() {
        DiscoveryEntry signed = clientEntry().sign(KeyPair.fromSecretHex(text(IN, "client_sk")));
        DiscoveryEntry next = signed.next(TIMESTAMP + 1);
        assertThat(next.sequence()).isEqualTo(1);
        assertThat(next.timestamp()).isEqualTo(TIMESTAMP + 1);
        assertThat(next.signature()).isNull();
        expect(next::verify, Reason.NOT_SIGNED);
    }

    private static JsonNode result(JsonNode results, String check) {
        for (JsonNode r : results) {
            if (text(r, "check").startsWith(check)) {
                return r;
            }
        }
        throw new IllegalStateException("no live check '" + check + "'");
    }

    private static void expect(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
