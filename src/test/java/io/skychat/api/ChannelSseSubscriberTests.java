package io.skychat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.skychat.core.ChatCounters;
import io.skychat.core.ChatEvent;
import io.skychat.core.Direction;
import io.skychat.core.EventHub;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelSseSubscriber} on a real Netty pipeline with the HTTP server codec (an embedded channel, so
 * its event loop runs when the test says): what reaches the wire must decode as the response's chunked body.
 */
class ChannelSseSubscriberTests {

    private static final PeerKey ALICE = PeerKey.parse("024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66");
    private static final PeerKey BOB = PeerKey.parse("03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3");

    private final ChatCounters counters = new ChatCounters();
    private final EventHub hub = new EventHub(counters, Runnable::run);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private static ChatEvent message(int n) {
        return new ChatEvent.DirectMessage(new MessageId(String.format("%016x", n)), Direction.IN, ALICE, BOB,
                TransportKind.TCP_DIRECT, "m" + n, null, Instant.EPOCH);
    }

    /** Counts the flushes that reach the socket's end of the pipeline. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    }

    /** A connection that got {@code GET /sse} and sent its chunked response head, as Reactor Netty does. */
    private EmbeddedChannel streaming(FlushCounter flushes) {
        EmbeddedChannel ch = new EmbeddedChannel(flushes, new HttpServerCodec());
        channels.add(ch);
        ch.writeInbound(Unpooled.copiedBuffer("GET /sse HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        Object request;
        while ((request = ch.readInbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(request);
        }
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ch.writeAndFlush(head);
        return ch;
    }

    /** Everything written to the wire so far, each buffer as written. */
    private static List<ByteBuf> written(EmbeddedChannel ch) {
        List<ByteBuf> out = new ArrayList<>();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            out.add((ByteBuf) m);
        }
        return out;
    }

    /**
     * The wire bytes decoded by an HTTP client's decoder: the body, chunk by chunk. Bytes read after the
     * response head are decoded after a head like it.
     */
    private static List<String> bodyAsAClientReadsIt(List<ByteBuf> wire) {
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder());
        if (wire.isEmpty() || !wire.get(0).toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 ")) {
            client.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
                    StandardCharsets.US_ASCII));
        }
        for (ByteBuf b : wire) {
            client.writeInbound(b.retainedDuplicate());
        }
        List<String> body = new ArrayList<>();
        Object m;
        while ((m = client.readInbound()) != null) {
            if (m instanceof HttpResponse r) {
                assertThat(r.decoderResult().isSuccess()).isTrue();
                assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
            }
            if (m instanceof HttpContent c) {
                assertThat(c.decoderResult().isSuccess()).isTrue();
                if (c.content().isReadable()) {
                    body.add(c.content().toString(StandardCharsets.UTF_8));
                }
            }
            io.netty.util.ReferenceCountUtil.release(m);
        }
        client.finishAndReleaseAll();
        return body;
    }

    @Test
    void eventsGoOutAsChunksOfTheResponseBodyThatAClientDecodesToUpstreamsFrames() {
        FlushCounter flushes = new FlushCounter();
        EmbeddedChannel ch = streaming(flushes);
        ChannelSseSubscriber s = ChannelSseSubscriber.on(ch, true);
        assertThat(s.writesChunks()).isTrue();
        hub.publish(message(1)); // replayed
        hub.register(null, s);
        ch.runPendingTasks();
        hub.publish(message(2)); // live
        ch.runPendingTasks();
        assertThat(bodyAsAClientReadsIt(written(ch)))
                .containsExactly(StreamController.frame(message(1)), StreamController.frame(message(2)));
    }

    @Test
    void everyStreamWritesTheSameBufferTheEventWasRenderedInto() {
        EmbeddedChannel a = streaming(new FlushCounter());
        EmbeddedChannel b = streaming(new FlushCounter());
        hub.register(null, ChannelSseSubscriber.on(a, true));
        hub.register(null, ChannelSseSubscriber.on(b, true));
        a.runPendingTasks();
        b.runPendingTasks();
        written(a);
        written(b);
        hub.publish(message(1));
        a.runPendingTasks();
        b.runPendingTasks();
        List<ByteBuf> fromA = written(a);
        List<ByteBuf> fromB = written(b);
        assertThat(fromA).hasSize(1);
        assertThat(fromB).hasSize(1);
        assertThat(fromA.get(0).isDirect()).isTrue();
        assertThat(fromA.get(0).memoryAddress()).isEqualTo(fromB.get(0).memoryAddress()); // no copy each
        byte[] chunk = SseChunks.chunk(StreamController.frame(message(1)).getBytes(StandardCharsets.UTF_8));
        assertThat(ByteBufUtil.getBytes(fromA.get(0))).isEqualTo(chunk);
        assertThat(ByteBufUtil.getBytes(fromB.get(0))).isEqualTo(chunk);
    }

    @Test
    void eventsThatCameWhileTheLoopWasBusyAreFlushedOnceForAll() {
        FlushCounter flushes = new FlushCounter();
        EmbeddedChannel ch = streaming(flushes);
        hub.register(null, ChannelSseSubscriber.on(ch, true));
        ch.runPendingTasks();
        written(ch);
        int before = flushes.flushes.get();
        for (int i = 1; i <= 5; i++) {
            hub.publish(message(i)); // the loop has not run: they wait for it together
        }
        ch.runPendingTasks();
        assertThat(flushes.flushes.get() - before).isEqualTo(1);
        assertThat(bodyAsAClientReadsIt(written(ch))).hasSize(5).last().isEqualTo(StreamController.frame(message(5)));
    }

    @Test
    void aStreamThatCannotTakeMoreQueuesItsBufferDropsTheRestCountedThenCatchesUpInOrder() {
        EmbeddedChannel ch = streaming(new FlushCounter());
        hub.register(null, ChannelSseSubscriber.on(ch, true));
        ch.runPendingTasks();
        written(ch);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // the client stopped reading
        for (int i = 1; i <= 100; i++) {
            hub.publish(message(i));
            ch.runPendingTasks();
        }
        assertThat(counters.sseDrops.get()).isEqualTo(100 - EventHub.SUBSCRIBER_BUFFER);
        assertThat(bodyAsAClientReadsIt(written(ch))).isEmpty();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true); // it reads again
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        List<String> caughtUp = bodyAsAClientReadsIt(written(ch));
        assertThat(caughtUp).hasSize(EventHub.SUBSCRIBER_BUFFER);
        for (int i = 0; i < caughtUp.size(); i++) {
            assertThat(caughtUp.get(i)).isEqualTo(StreamController.frame(message(i + 1)));
        }
        hub.publish(message(101)); // and live again, after what it queued
        ch.runPendingTasks();
        assertThat(bodyAsAClientReadsIt(written(ch))).containsExactly(StreamController.frame(message(101)));
    }

    @Test
    void anIdleStreamGetsAPingChunk() {
        EmbeddedChannel ch = streaming(new FlushCounter());
        hub.register(null, ChannelSseSubscriber.on(ch, true));
        ch.runPendingTasks();
        written(ch);
        hub.heartbeat();
        ch.runPendingTasks();
        assertThat(bodyAsAClientReadsIt(written(ch))).containsExactly(": ping\n\n");
    }

    @Test
    void aResponseThatIsNotChunkedIsFramedByTheHttpEncoderAsBefore() {
        EmbeddedChannel ch = streaming(new FlushCounter());
        ChannelSseSubscriber s = ChannelSseSubscriber.on(ch, false);
        assertThat(s.writesChunks()).isFalse();
        hub.register(null, s);
        ch.runPendingTasks();
        hub.publish(message(1));
        ch.runPendingTasks();
        // here the encoder is in its chunked state from the head, so it frames the plain frame itself
        assertThat(bodyAsAClientReadsIt(written(ch))).containsExactly(StreamController.frame(message(1)));
    }

    @Test
    void aConnectionThatEncodesItsBodiesGetsPlainFramesThroughItsEncoder() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpContentCompressor());
        channels.add(ch);
        assertThat(ChannelSseSubscriber.on(ch, true).writesChunks()).isFalse();
    }

    @Test
    void aChunkIsItsLengthInHexThenTheBytesEachLineEndedByCrLf() {
        byte[] frame = new byte[300];
        java.util.Arrays.fill(frame, (byte) 'x');
        String chunk = new String(SseChunks.chunk(frame), StandardCharsets.US_ASCII);
        assertThat(chunk).startsWith("12c\r\nxxx").endsWith("xxx\r\n").hasSize(3 + 2 + 300 + 2);
        assertThat(new String(SseChunks.chunk(": ping\n\n".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII))
                .isEqualTo("8\r\n: ping\n\n\r\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SseChunks.chunk(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSharedBufferSurvivesTheReleaseOfEachWrite() {
        ByteBuf shared = SseChunks.shared("abc".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) {
            ByteBuf written = shared.duplicate();
            written.skipBytes(written.readableBytes()); // as the socket consumes it
            written.release(); // as the channel does after the write
        }
        assertThat(shared.refCnt()).isPositive();
        assertThat(shared.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
    }
}
