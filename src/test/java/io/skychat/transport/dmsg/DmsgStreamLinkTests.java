package io.skychat.transport.dmsg;

import io.skychat.core.ChatLink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.TransportException;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseFraming;
import io.skychat.crypto.NoiseHandshake;
import io.skychat.support.Keys;
import io.skychat.transport.codec.ChatFrames;
import io.skychat.transport.codec.EnvelopeCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chat link over a dmsg stream, driven through a yamux session on an embedded channel (no sockets): what
 * arrives split at any byte is reassembled, what is broken drops that stream only.
 */
class DmsgStreamLinkTests {

    static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);

    EmbeddedChannel channel;
    DmsgStats stats = new DmsgStats();
    NoiseCipher aliceSide;
    NoiseCipher bobSide;
    List<ChatLink> links = new ArrayList<>();
    List<Envelope> received = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    java.util.function.Consumer<ChatLink> subscriber = link -> link.inbound().subscribe(received::add, errors::add);

    @BeforeEach
    void setUp() throws Exception {
        NoiseHandshake init = NoiseHandshake.kkInitiator(ALICE, BOB.publicKey());
        NoiseHandshake resp = NoiseHandshake.kkResponder(BOB, ALICE.publicKey());
        resp.readMessage(init.writeMessage());
        init.readMessage(resp.writeMessage());
        aliceSide = init.split();
        bobSide = resp.split();
        YamuxConnection mux = new YamuxConnection(YamuxSession.client(YamuxConfig.DMSG), YamuxConfig.DMSG,
                new YamuxConnection.Events() {
                    @Override
                    public void incoming(YamuxConnection.Stream stream) {
                        DmsgByteStream bytes = new DmsgByteStream(stream, bobSide, ALICE.publicKey(),
                                io.skychat.core.Transport.CHAT_PORT, 1, BOB.publicKey(), stats, () -> { });
                        bytes.attach(new byte[0], 0);
                        ChatLink link = DmsgTransport.chatLink(bytes);
                        subscriber.accept(link);
                        links.add(link);
                    }

                    @Override
                    public void closed(String reason, YamuxException cause) {
                    }
                });
        channel = new EmbeddedChannel(mux);
        // the server opens stream 2 to us
        channel.writeInbound(Unpooled.wrappedBuffer(new YamuxFrame.WindowUpdate(YamuxFrame.SYN, 2, 0).encode()));
        channel.runPendingTasks();
        assertThat(links).hasSize(1);
        drainOutbound();
    }

    /** A chat frame as upstream writes it: header and payload in two noise frames. */
    byte[] upstreamStyle(Envelope e) {
        byte[] frame = ChatFrames.encode(EnvelopeCodec.encode(e));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(NoiseFraming.prefix(aliceSide.seal(frame, 0, 4)));
        for (byte[] f : NoiseFraming.sealAll(aliceSide, java.util.Arrays.copyOfRange(frame, 4, frame.length))) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    void deliver(byte[] streamBytes, int chunk) {
        for (int off = 0; off < streamBytes.length; off += chunk) {
            int n = Math.min(chunk, streamBytes.length - off);
            byte[] body = java.util.Arrays.copyOfRange(streamBytes, off, off + n);
            channel.writeInbound(Unpooled.wrappedBuffer(new YamuxFrame.Data(0, 2, body).encode()));
        }
        channel.runPendingTasks();
    }

    List<YamuxFrame> drainOutbound() {
        List<YamuxFrame> frames = new ArrayList<>();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            byte[] bytes = ByteBufUtil.getBytes(b);
            b.release();
            int at = 0;
            while (at < bytes.length) {
                YamuxFrame.Decoded d = YamuxFrame.decode(bytes, at, bytes.length - at, YamuxConfig.INITIAL_STREAM_WINDOW);
                frames.add(d.frame());
                at += d.consumed();
            }
        }
        return frames;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 40, 4096})
    void chatFramesSplitAcrossNoiseAndYamuxFramesAreReassembled(int chunk) {
        MessageId first = MessageId.random();
        MessageId second = MessageId.random();
        String long5000 = "y".repeat(5000); // its payload needs two noise frames
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(upstreamStyle(new Envelope.ChatMsg(first, "hi", true, null)));
        wire.writeBytes(upstreamStyle(new Envelope.ChatMsg(second, long5000, true, null)));
        deliver(wire.toByteArray(), chunk);
        assertThat(received).containsExactly(new Envelope.ChatMsg(first, "hi", true, null),
                new Envelope.ChatMsg(second, long5000, true, null));
        assertThat(errors).isEmpty();
    }

    @Test
    void sentEnvelopesAreNoiseFramedOnTheStream() throws Exception {
        MessageId id = MessageId.random();
        links.get(0).send(new Envelope.ChatAck(id)).subscribe();
        channel.runPendingTasks();
        List<YamuxFrame> out = drainOutbound();
        assertThat(out).hasSize(1);
        YamuxFrame.Data data = (YamuxFrame.Data) out.get(0);
        byte[] body = data.body();
        int length = NoiseFraming.readLength(body, 0);
        assertThat(body.length).isEqualTo(2 + length);
        byte[] plain = aliceSide.open(java.util.Arrays.copyOfRange(body, 2, body.length));
        assertThat(EnvelopeCodec.decode(java.util.Arrays.copyOfRange(plain, 4, plain.length))).isEqualTo(new Envelope.ChatAck(id));
    }

    @Test
    void aForgedNoiseFrameDropsThatStreamWithAResetAndTheSessionGoesOn() {
        byte[] good = upstreamStyle(new Envelope.ChatMsg(MessageId.random(), "fine", true, null));
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1; // the tag of the payload's noise frame
        deliver(bad, 5000);
        assertThat(errors).singleElement().isInstanceOf(TransportException.class);
        assertThat(errors.get(0)).hasMessageContaining("failed authentication");
        assertThat(stats.framesRejected.get()).isEqualTo(1);
        assertThat(drainOutbound()).anySatisfy(f -> assertThat(f.has(YamuxFrame.RST) && f.streamId() == 2).isTrue());
        assertThat(links.get(0).isOpen()).isFalse();
        assertThat(channel.isActive()).as("the session stays").isTrue();
        // another stream on the same session still works
        channel.writeInbound(Unpooled.wrappedBuffer(new YamuxFrame.WindowUpdate(YamuxFrame.SYN, 4, 0).encode()));
        channel.runPendingTasks();
        assertThat(links).hasSize(2);
    }

    @Test
    void aZeroLengthChatFrameIsAProtocolError() {
        byte[] zero = NoiseFraming.prefix(aliceSide.seal(new byte[] {0, 0, 0, 0}));
        deliver(zero, 100);
        assertThat(errors).singleElement().isInstanceOf(TransportException.class);
        assertThat(stats.framesRejected.get()).isEqualTo(1);
    }

    @Test
    void theWindowIsGrantedBackOnlyAsEnvelopesAreTaken() {
        List<Envelope> slow = new ArrayList<>();
        reactor.core.publisher.BaseSubscriber<Envelope> reader = new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                s.request(1);
            }

            @Override
            protected void hookOnNext(Envelope e) {
                slow.add(e);
            }
        };
        subscriber = link -> link.inbound().subscribe(reader);
        channel.writeInbound(Unpooled.wrappedBuffer(new YamuxFrame.WindowUpdate(YamuxFrame.SYN, 4, 0).encode()));
        channel.runPendingTasks();
        drainOutbound();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) { // 200 KiB: past half the window
            wire.writeBytes(upstreamStyle(new Envelope.ChatMsg(MessageId.random(), "z".repeat(20_000), true, null)));
        }
        byte[] bytes = wire.toByteArray();
        for (int off = 0; off < bytes.length; off += 16_000) {
            byte[] body = java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + 16_000));
            channel.writeInbound(Unpooled.wrappedBuffer(new YamuxFrame.Data(0, 4, body).encode()));
        }
        channel.runPendingTasks();
        assertThat(slow).hasSize(1);
        assertThat(drainOutbound()).as("nothing granted back while envelopes wait").isEmpty();
        reader.request(9);
        channel.runPendingTasks();
        assertThat(slow).hasSize(10);
        assertThat(drainOutbound()).anySatisfy(f -> assertThat(f.type() == YamuxFrame.TYPE_WINDOW_UPDATE
                && f.streamId() == 4 && f.length() > 0).isTrue());
    }
}
