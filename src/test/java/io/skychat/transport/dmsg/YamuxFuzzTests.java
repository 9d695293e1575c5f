package io.skychat.transport.dmsg;

import static io.skychat.transport.dmsg.WireVectorFiles.bytes;
import static io.skychat.transport.dmsg.WireVectorFiles.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.skychat.support.Fuzz;
import io.skychat.transport.dmsg.YamuxException.Reason;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

/**
 * Random and mutated bytes into the yamux decoder and session. Properties: the decoder waits, yields a frame
 * that re-encodes to the bytes it took (but for fields upstream ignores), or names a header fault; a session
 * only ever throws {@link YamuxException}, and is closed afterwards.
 */
class YamuxFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;
    static final EnumSet<Reason> DECODER_REASONS = EnumSet.of(Reason.BAD_VERSION, Reason.UNKNOWN_TYPE, Reason.FRAME_TOO_LARGE);

    static final List<byte[]> CORPUS;

    static {
        JsonNode capture = WireVectorFiles.load("dmsg_stream.json").get("yamux_capture");
        byte[] c2s = bytes(capture, "client_to_server_hex");
        byte[] s2c = bytes(capture, "server_to_client_hex");
        byte[] control = concat(new YamuxFrame.Ping(YamuxFrame.SYN, 5).encode(), new YamuxFrame.WindowUpdate(0, 1, 1000).encode(),
                new YamuxFrame.Data(YamuxFrame.FIN, 1, new byte[] {1, 2, 3}).encode(),
                new YamuxFrame.WindowUpdate(YamuxFrame.RST, 1, 0).encode(), new YamuxFrame.GoAway(0).encode());
        CORPUS = List.of(c2s, s2c, concat(c2s, control), control);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void decoder(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(40_000);
        for (int i = 0; i < n; i++) {
            checkDecoder(Fuzz.next(CORPUS, r, 64));
        }
        Fuzz.report("YamuxFrame.decode", seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void session(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(20_000);
        for (int i = 0; i < n; i++) {
            byte[] input = Fuzz.next(CORPUS, r, 64);
            YamuxSession s = r.nextBoolean() ? YamuxSession.server(YamuxConfig.DMSG) : YamuxSession.client(YamuxConfig.DMSG);
            if (r.nextBoolean()) {
                s.open(); // so frames for stream 1 or 2 may find a stream
            }
            checkSession(s, input, r);
        }
        Fuzz.report("YamuxSession.receive", seed, n);
    }

    static void checkDecoder(byte[] input) {
        int at = 0;
        while (at < input.length) {
            YamuxFrame.Decoded d;
            try {
                d = YamuxFrame.decode(input, at, input.length - at, YamuxConfig.INITIAL_STREAM_WINDOW);
            } catch (YamuxException e) {
                assertThat(e.reason()).isIn(DECODER_REASONS);
                return;
            }
            if (d == null) {
                return;
            }
            byte[] taken = Arrays.copyOfRange(input, at, at + d.consumed());
            if (d.frame() instanceof YamuxFrame.Ping || d.frame() instanceof YamuxFrame.GoAway) {
                Arrays.fill(taken, 4, 8, (byte) 0); // stream id: upstream ignores it on these
            }
            if (d.frame() instanceof YamuxFrame.GoAway) {
                Arrays.fill(taken, 2, 4, (byte) 0); // and the flags on a go-away
            }
            assertThat(d.frame().encode()).isEqualTo(taken);
            at += d.consumed();
        }
    }

    static void checkSession(YamuxSession s, byte[] input, Random r) {
        int at = 0;
        try {
            while (at < input.length) {
                int chunk = 1 + r.nextInt(input.length - at);
                s.receive(input, at, chunk);
                at += chunk;
            }
        } catch (YamuxException e) {
            assertThat(s.isClosed()).as("session after %s", e.reason()).isTrue();
        } catch (RuntimeException e) {
            fail("unexpected " + e + " for input " + WireVectorFiles.hex(input), e);
        }
    }
}
