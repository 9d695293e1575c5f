package io.skychat.feed.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.feed.FeedException;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameAssemblerTests {

    private static List<NodeFrame> frames() {
        List<NodeFrame> out = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            out.add(new NodeFrame(i, 0, i % 3 == 0 ? new NodeMessage.ObjectValue(new byte[i * 700])
                    : i % 3 == 1 ? new NodeMessage.Ping() : new NodeMessage.Err("e" + i)));
        }
        return out;
    }

    /** Seeded cuttings: a frame across many chunks, many frames in one chunk, and everything between. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void framesComeOutWholeWhateverTheChunking(long seed) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        frames().forEach(f -> stream.writeBytes(f.wire()));
        byte[] all = stream.toByteArray();
        Random random = new Random(seed);
        FrameAssembler assembler = new FrameAssembler(1 << 20);
        List<NodeFrame> got = new ArrayList<>();
        for (int off = 0; off < all.length; ) {
            int n = Math.min(all.length - off, 1 + random.nextInt(seed % 2 == 0 ? 8 : 9000));
            got.addAll(assembler.feed(Arrays.copyOfRange(all, off, off + n)));
            off += n;
        }
        assertThat(got).isEqualTo(frames());
        assertThat(assembler.buffered()).isZero();
    }

    @Test
    void aFrameOfSeveralMegabytesArrivesInNoiseSizedChunks() {
        byte[] big = new byte[6 << 20];
        new Random(1).nextBytes(big);
        NodeFrame frame = new NodeFrame(9, 0, new NodeMessage.ObjectValue(big));
        byte[] wire = frame.wire();
        FrameAssembler assembler = new FrameAssembler(8 << 20);
        List<NodeFrame> got = new ArrayList<>();
        for (int off = 0; off < wire.length; off += 4070) {
            got.addAll(assembler.feed(Arrays.copyOfRange(wire, off, Math.min(wire.length, off + 4070))));
        }
        assertThat(got).containsExactly(frame);
        assertThat(assembler.buffered()).isZero();
    }

    @Test
    void aLengthOverTheLimitFailsFromTheHeaderAlone() {
        FrameAssembler assembler = new FrameAssembler(1000);
        assertThatThrownBy(() -> assembler.feed(new byte[] {0, 0, 0x03, (byte) 0xe9}))
                .isInstanceOf(FeedException.class).hasMessageContaining("1001");
        assertThatThrownBy(() -> new FrameAssembler(1000).feed(new byte[] {0, 0, 0, 8}))
                .isInstanceOf(FeedException.class);
    }
}
