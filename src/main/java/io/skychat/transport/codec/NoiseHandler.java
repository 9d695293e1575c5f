package io.skychat.transport.codec;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import io.skychat.core.PeerKey;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseFraming;
import io.skychat.crypto.NoiseHandshake;

/**
 * Runs a Noise handshake on a channel, then encrypts and decrypts everything after it, like Netty's
 * SslHandler does for TLS. It expects whole noise messages from {@link #frameDecoder()} in front of it.
 * Handshake steps (EC point multiplications) run on the bounded {@code crypto} executor, never on the
 * event loop; frames arriving meanwhile wait in a small queue. During the handshake it asks the channel
 * for reads itself, because Reactor Netty only reads when someone downstream has demand.
 */
public final class NoiseHandler extends ChannelDuplexHandler {

    /** At most this many frames may arrive while a handshake step is being computed. */
    static final int MAX_PENDING = 8;

    private final NoiseHandshake handshake;
    private final Executor crypto;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private Promise<PeerKey> handshakeDone;
    private NoiseCipher cipher;
    private boolean busy;
    private boolean started;
    /** Event loop only: where a direct frame is copied to be opened (the cipher works on arrays). */
    private byte[] scratch = new byte[0];
    /** Set at the first bad frame: whatever the peer sent after it is discarded, never decrypted or passed on. */
    private boolean broken;

    public NoiseHandler(NoiseHandshake handshake, Executor crypto) {
        this.handshake = handshake;
        this.crypto = crypto;
    }

    /** Splits the byte stream into noise messages: {@code uint16 BE length ‖ message}, at most 4094 bytes. */
    public static LengthFieldBasedFrameDecoder frameDecoder() {
        return new LengthFieldBasedFrameDecoder(NoiseCipher.MAX_FRAME_LENGTH + 2, 0, 2, 0, 2);
    }

    /** Completes with the peer's authenticated static key, or fails when the handshake does. */
    public Promise<PeerKey> handshakeFuture() {
        return handshakeDone;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        handshakeDone = ctx.executor().newPromise();
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        if (handshake.isMyTurnToWrite()) {
            step(ctx, null);
        } else {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (broken) {
            frame.release();
            return;
        }
        if (cipher != null && !busy && pending.isEmpty()) {
            decrypt(ctx, frame);
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            frame.release();
            fail(ctx, new NoiseException("peer sent too many frames during the handshake"));
            return;
        }
        pending.add(frame);
        drain(ctx);
    }

    private void drain(ChannelHandlerContext ctx) {
        while (!busy && !broken && !pending.isEmpty() && ctx.channel().isActive()) {
            ByteBuf frame = pending.poll();
            if (cipher != null) {
                decrypt(ctx, frame);
            } else {
                byte[] message = ByteBufUtil.getBytes(frame);
                frame.release();
                step(ctx, message);
            }
        }
    }

    /** Reads {@code message} (if any) and writes our reply, off the event loop. */
    private void step(ChannelHandlerContext ctx, byte[] message) {
        busy = true;
        try {
            crypto.execute(() -> {
                try {
                    if (message != null) {
                        handshake.readMessage(message);
                    }
                    byte[] reply = !handshake.isComplete() && handshake.isMyTurnToWrite() ? handshake.writeMessage() : null;
                    NoiseCipher established = handshake.isComplete() ? handshake.split() : null;
                    ctx.executor().execute(() -> stepDone(ctx, reply, established, null));
                } catch (Throwable t) {
                    ctx.executor().execute(() -> stepDone(ctx, null, null, t));
                }
            });
        } catch (RejectedExecutionException e) {
            stepDone(ctx, null, null, new NoiseException("handshake rejected: node is overloaded"));
        }
    }

    private void stepDone(ChannelHandlerContext ctx, byte[] reply, NoiseCipher established, Throwable error) {
        busy = false;
        if (error != null) {
            fail(ctx, error);
            return;
        }
        if (reply != null) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(NoiseFraming.prefix(reply)));
        }
        if (established != null) {
            cipher = established;
            PeerKey remote = handshake.remoteStatic();
            handshake.destroy();
            handshakeDone.trySuccess(remote);
        }
        drain(ctx);
        if (cipher == null && !busy) {
            ctx.read(); // the next handshake message
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (cipher == null && !busy && ctx.channel().isActive()) {
            ctx.read(); // a partial handshake message: keep reading
        }
        ctx.fireChannelReadComplete();
    }

    private void decrypt(ChannelHandlerContext ctx, ByteBuf frame) {
        if (broken) {
            frame.release();
            return;
        }
        int length = frame.readableBytes();
        // The cipher works on arrays: a heap frame is read in place, a direct one through a reused scratch array.
        byte[] in;
        int inOff;
        if (frame.hasArray()) {
            in = frame.array();
            inOff = frame.arrayOffset() + frame.readerIndex();
        } else {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, NoiseCipher.MAX_FRAME_LENGTH)];
            }
            frame.getBytes(frame.readerIndex(), scratch, 0, length);
            in = scratch;
            inOff = 0;
        }
        ByteBuf plain = length > NoiseCipher.OVERHEAD ? ctx.alloc().heapBuffer(length - NoiseCipher.OVERHEAD) : null;
        try {
            if (plain == null) {
                cipher.open(ByteBufUtil.getBytes(frame)); // an empty frame still moves the nonce (and is checked)
            } else {
                int n = cipher.openInto(in, inOff, length, plain.array(), plain.arrayOffset() + plain.writerIndex());
                plain.writerIndex(plain.writerIndex() + n);
            }
        } catch (NoiseException e) {
            if (plain != null) {
                plain.release();
            }
            broken = true;
            ctx.fireExceptionCaught(e);
            ctx.close();
            return;
        } finally {
            frame.release();
        }
        if (plain != null) { // upstream skips empty frames
            ctx.fireChannelRead(plain);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        if (cipher == null) {
            buf.release();
            promise.setFailure(new IllegalStateException("noise handshake has not completed"));
            return;
        }
        int length = buf.readableBytes();
        if (length == 0) {
            buf.release();
            promise.setSuccess();
            return;
        }
        byte[] plain;
        int off;
        if (buf.hasArray()) {
            plain = buf.array();
            off = buf.arrayOffset() + buf.readerIndex();
        } else {
            plain = ByteBufUtil.getBytes(buf);
            off = 0;
        }
        try {
            if (length <= NoiseCipher.MAX_CHUNK) { // the usual case: one frame, sealed into a pooled buffer
                ctx.write(sealed(ctx, plain, off, length), promise);
                return;
            }
            // One call writes all chunks of the payload, so concurrent sends can never interleave chunks.
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            for (int done = 0; done < length; done += NoiseCipher.MAX_CHUNK) {
                combiner.add(ctx.write(sealed(ctx, plain, off + done, Math.min(NoiseCipher.MAX_CHUNK, length - done))));
            }
            combiner.finish(promise);
        } finally {
            buf.release();
        }
    }

    private ByteBuf sealed(ChannelHandlerContext ctx, byte[] plain, int off, int len) {
        int frameLength = NoiseFraming.frameLength(len);
        ByteBuf frame = ctx.alloc().heapBuffer(frameLength);
        try {
            NoiseFraming.sealFrameInto(cipher, plain, off, len, frame.array(), frame.arrayOffset() + frame.writerIndex());
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        return frame.writerIndex(frame.writerIndex() + frameLength);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        broken = true; // e.g. an oversized length prefix from the frame decoder in front of us
        if (cipher == null) {
            fail(ctx, cause); // nobody is reading this connection yet: the handshake future reports it
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        broken = true; // the cipher is destroyed below; late frames must not reach it
        handshakeDone.tryFailure(new ClosedChannelException());
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        broken = true;
        handshakeDone.tryFailure(cause);
        ctx.close();
    }

    private void release() {
        ByteBuf b;
        while ((b = pending.poll()) != null) {
            b.release();
        }
        if (!busy) { // a step in flight still uses the handshake; it is dropped with the channel
            handshake.destroy();
        }
        if (cipher != null) {
            cipher.destroy();
        }
    }
}
