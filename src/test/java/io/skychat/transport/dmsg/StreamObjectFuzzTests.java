package io.skychat.transport.dmsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.skychat.core.PeerKey;
import io.skychat.support.Fuzz;
import io.skychat.support.VectorFiles;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

/** A relayed request or response is attacker-controlled: mutations fail only with StreamHandshakeException, and none is accepted. */
class StreamObjectFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;

    private static final JsonNode V = VectorFiles.load("dmsg_stream.json");
    private static final byte[] REQUEST = VectorFiles.bytes(V.get("stream_request"), "sample_signed_object_hex");
    private static final byte[] RESPONSE = VectorFiles.bytes(V.get("stream_response"), "sample_signed_object_hex");
    private static final PeerKey B = PeerKey.parse(VectorFiles.text(V.get("inputs"), "listener_B_pk"));

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void mutatedObjectsAreRefusedWithACode(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(2_000);
        for (int i = 0; i < n; i++) {
            byte[] req = Fuzz.mutate(REQUEST, r);
            if (!Arrays.equals(req, REQUEST)) {
                assertRefused(() -> StreamRequest.verify(req, 0));
            }
            byte[] resp = Fuzz.mutate(RESPONSE, r);
            if (!Arrays.equals(resp, RESPONSE)) {
                assertRefused(() -> StreamResponse.verify(resp, REQUEST, B));
            }
        }
        Fuzz.report("StreamRequest/StreamResponse.verify", seed, 2L * n);
    }

    private static void assertRefused(Runnable verify) {
        try {
            verify.run();
        } catch (StreamHandshakeException expected) {
            assertThat(List.of(StreamErrorCode.values())).contains(expected.code());
            return;
        }
        throw new AssertionError("a mutated object was accepted");
    }
}
