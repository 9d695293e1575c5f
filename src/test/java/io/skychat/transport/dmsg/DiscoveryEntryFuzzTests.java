package io.skychat.transport.dmsg;

import static io.skychat.transport.dmsg.WireVectorFiles.text;
import static io.skychat.transport.dmsg.WireVectorFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.skychat.support.Fuzz;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.XkVectorCiphers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

/**
 * Mutated discovery bodies and session frames. Properties: the parsers throw only their own exception; an
 * entry that parses carries a signature valid over what was received, so it is one of the genuine ones.
 */
class DiscoveryEntryFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;
    static final List<byte[]> ENTRIES = new ArrayList<>();
    static final List<byte[]> LISTS = new ArrayList<>();
    static final List<byte[]> FRAMES = new ArrayList<>();

    static {
        JsonNode v = WireVectorFiles.load("discovery_entry.json");
        for (String name : List.of("client_entry", "server_entry", "client_entry_no_servers")) {
            ENTRIES.add(utf8(v.get(name).get("post"), "body_utf8"));
        }
        for (JsonNode r : v.get("live_discovery_checks").get("results")) {
            byte[] body = utf8(r, "response_body");
            (text(r, "response_body").startsWith("[") ? LISTS : ENTRIES).add(body);
        }
        LISTS.add(("[" + text(v.get("server_entry").get("post"), "body_utf8") + "]").getBytes(StandardCharsets.UTF_8));
        JsonNode frames = WireVectorFiles.load("dmsg_stream.json").get("session_frames");
        FRAMES.add(WireVectorFiles.bytes(frames, "request_frame_hex"));
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void entryParser(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(6_000);
        for (int i = 0; i < n; i++) {
            byte[] input = Fuzz.next(ENTRIES, r, 200);
            try {
                DiscoveryEntry e = DiscoveryEntry.parse(input);
                assertThat(e.signature()).isNotNull();
            } catch (DiscoveryException expected) {
                assertThat(expected.reason()).isNotNull();
            } catch (RuntimeException e) {
                fail("unexpected " + e + " for " + new String(input, StandardCharsets.UTF_8), e);
            }
        }
        Fuzz.report("DiscoveryEntry.parse", seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void serverListParser(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(2_000);
        for (int i = 0; i < n; i++) {
            byte[] input = Fuzz.next(LISTS, r, 200);
            try {
                DiscoveryEntry.ServerList list = DiscoveryEntry.parseServers(input);
                assertThat(list.servers()).allSatisfy(e -> assertThat(e.server()).isNotNull());
            } catch (DiscoveryException expected) {
                assertThat(expected.reason()).isNotNull();
            } catch (RuntimeException e) {
                fail("unexpected " + e + " for " + new String(input, StandardCharsets.UTF_8), e);
            }
        }
        Fuzz.report("DiscoveryEntry.parseServers", seed, n);
    }

    /** Only the genuine request frame opens; after it does, a fresh session, so nonce 1 is fresh again. */
    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void sessionFrames(long seed) throws NoiseException {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(20_000);
        byte[] genuine = FRAMES.get(0);
        NoiseCipher responder = XkVectorCiphers.session().responder();
        for (int i = 0; i < n; i++) {
            byte[] input = Fuzz.next(FRAMES, r, 64);
            try {
                SessionFrames.Opened o = SessionFrames.open(responder, input, 0, input.length);
                if (o != null) {
                    assertThat(Arrays.copyOf(input, o.consumed())).isEqualTo(genuine);
                    responder = XkVectorCiphers.session().responder();
                }
            } catch (SessionFrameException expected) {
                assertThat(expected.getMessage()).startsWith("dmsg session frame:");
            }
        }
        Fuzz.report("SessionFrames.open", seed, n);
    }
}
