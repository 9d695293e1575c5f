package io.skychat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.skychat.core.SkychatException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class JoinFramesTests {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFrameIsALengthInBigEndianThenThePayload() {
        assertThat(JoinFrames.frame(utf8("{}"))).containsExactly(0, 0, 0, 2, '{', '}');
    }

    @Test
    void framesComeOutWholeHoweverTheStreamChunksThem() {
        byte[] a = JoinFrames.frame(utf8("{\"kind\":\"join_request\"}"));
        byte[] b = JoinFrames.frame(utf8("{\"kind\":\"join_response\"}"));
        byte[] all = ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
        // one byte at a time, then both in one chunk
        List<byte[]> singles = new java.util.ArrayList<>();
        for (byte x : all) {
            singles.add(new byte[] {x});
        }
        for (Flux<byte[]> chunks : List.of(Flux.fromIterable(singles), Flux.just(all),
                Flux.just(Arrays.copyOf(all, 3), Arrays.copyOfRange(all, 3, all.length)))) {
            StepVerifier.create(JoinFrames.frames(chunks).map(f -> new String(f, StandardCharsets.UTF_8)))
                    .expectNext("{\"kind\":\"join_request\"}", "{\"kind\":\"join_response\"}")
                    .verifyComplete();
        }
    }

    @Test
    void aZeroOrOversizedLengthIsRefusedWithTheLength() {
        StepVerifier.create(JoinFrames.frames(Flux.just(new byte[] {0, 0, 0, 0})))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SkychatException.class)
                        .hasMessageContaining("length 0"))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(JoinFrames.frames(Flux.just(new byte[] {0, 1, 0, 1})))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("65537"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aTruncatedFrameYieldsNothing() {
        byte[] a = JoinFrames.frame(utf8("{\"kind\":\"join_request\"}"));
        StepVerifier.create(JoinFrames.frames(Flux.just(Arrays.copyOf(a, a.length - 1)))).verifyComplete();
    }
}
