package io.skychat.transport.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.skychat.core.ByteStream;
import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The chat codec over a byte stream, on an in-memory stream: reassembly, demand, refusals. */
class ChatStreamLinkTests {

    private static final PeerKey PEER = KeyPair.deterministic("chat stream peer".getBytes()).publicKey();

    /** A stream whose inbound side is a sink the test feeds, counting the chunks asked for. */
    static final class MemoryStream implements ByteStream {
        final Sinks.Many<byte[]> in = Sinks.many().unicast().onBackpressureBuffer();
        final List<byte[]> written = new ArrayList<>();
        final Sinks.Empty<Void> closed = Sinks.empty();
        long requested;
        String protocolError;
        boolean open = true;

        @Override
        public PeerKey peer() {
            return PEER;
        }

        @Override
        public int port() {
            return 1;
        }

        @Override
        public TransportKind kind() {
            return TransportKind.DMSG;
        }

        @Override
        public Flux<byte[]> inbound() {
            return in.asFlux().doOnRequest(n -> requested += n);
        }

        @Override
        public Mono<Void> write(byte[] bytes) {
            return Mono.fromRunnable(() -> written.add(bytes));
        }

        @Override
        public Mono<Void> onClose() {
            return closed.asMono();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
            closed.tryEmitEmpty();
        }

        void fail(String why) {
            protocolError = why;
            in.tryEmitError(TransportException.protocol(PEER, kind(), why));
        }
    }

    private static byte[] wire(Envelope... envelopes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Envelope e : envelopes) {
            out.writeBytes(ChatFrames.encode(EnvelopeCodec.encode(e)));
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 17, 4096})
    void framesSplitAnywhereAcrossChunksComeOutWhole(int chunk) {
        MemoryStream stream = new MemoryStream();
        ChatStreamLink link = new ChatStreamLink(stream, stream::fail);
        Envelope one = new Envelope.ChatMsg(MessageId.random(), "hello", true, null);
        Envelope two = new Envelope.PlainText("x".repeat(5000));
        byte[] bytes = wire(one, two);
        List<Envelope> got = new ArrayList<>();
        link.inbound().subscribe(got::add);
        for (int at = 0; at < bytes.length; at += chunk) {
            stream.in.tryEmitNext(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk)));
        }
        assertThat(got).containsExactly(one, two);
    }

    @Test
    void demandReachesTheStreamOneChunkAtATime() {
        MemoryStream stream = new MemoryStream();
        ChatStreamLink link = new ChatStreamLink(stream, stream::fail);
        List<Envelope> got = new ArrayList<>();
        BaseSubscriber<Envelope> reader = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                s.request(1);
            }

            @Override
            protected void hookOnNext(Envelope e) {
                got.add(e);
            }
        };
        link.inbound().subscribe(reader);
        assertThat(stream.requested).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            stream.in.tryEmitNext(wire(new Envelope.PlainText("m" + i)));
        }
        assertThat(got).hasSize(1);
        assertThat(stream.requested).as("one chunk taken, one more asked for, no more").isLessThanOrEqualTo(2);
        reader.request(4);
        assertThat(got).hasSize(5);
    }

    @Test
    void aZeroLengthFrameIsHandedToTheStreamAsAProtocolErrorAndTheReaderSeesIt() {
        MemoryStream stream = new MemoryStream();
        ChatStreamLink link = new ChatStreamLink(stream, stream::fail);
        Flux<Envelope> inbound = link.inbound();
        stream.in.tryEmitNext(new byte[] {0, 0, 0, 0});
        StepVerifier.create(inbound)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TransportException.class))
                .verify();
        assertThat(stream.protocolError).isNotBlank();
    }

    @Test
    void sendWritesOneWholeChatFrameAndATooLargeEnvelopeIsRefusedBeforeTheStream() {
        MemoryStream stream = new MemoryStream();
        ChatStreamLink link = new ChatStreamLink(stream, stream::fail);
        Envelope e = new Envelope.PlainText("hi");
        link.send(e).block();
        assertThat(stream.written).singleElement().satisfies(w -> assertThat(w).isEqualTo(wire(e)));
        StepVerifier.create(link.send(new Envelope.PlainText("y".repeat(70_000)))).expectError().verify();
        assertThat(stream.written).hasSize(1);
    }

    @Test
    void theInboundSideCanBeSubscribedOnce() {
        MemoryStream stream = new MemoryStream();
        ChatStreamLink link = new ChatStreamLink(stream, stream::fail);
        link.inbound().subscribe();
        StepVerifier.create(link.inbound()).expectError(IllegalStateException.class).verify();
    }
}
