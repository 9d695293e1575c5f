package io.skychat.transport.dmsg;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;
import io.skychat.core.PeerKey;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseFraming;
import io.skychat.crypto.NoiseHandshake;

/**
 * The Noise XK handshake that opens a dmsg session (client = initiator, pinning the server's key). Unlike
 * TCP-direct, the bytes after it are not encrypted: yamux runs on the raw connection, so once the handshake
 * is done this handler takes itself out and hands what follows to the next handler. EC steps run on the
 * {@code crypto} executor.
 */
final class SessionHandshake extends ChannelInboundHandlerAdapter {

    /** The session keys and who is at the other end. */
    record Result(NoiseCipher cipher, PeerKey remote) {
    }

    private static final int MAX_BUFFERED = 1024; // handshake messages are under 100 bytes

    private final NoiseHandshake handshake;
    private final Executor crypto;
    private Promise<Result> done;
    private ByteBuf buffer;
    private boolean busy;
    private boolean started;
    private boolean finished;

    SessionHandshake(NoiseHandshake handshake, Executor crypto) {
        this.handshake = handshake;
        this.crypto = crypto;
    }

    Promise<Result> result() {
        return done;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        done = ctx.executor().newPromise();
        buffer = ctx.alloc().buffer(128);
        ctx.channel().config().setAutoRead(true);
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
        if (!started) {
            started = true;
            if (handshake.isMyTurnToWrite()) {
                step(ctx, null);
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (finished) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            if (buffer.readableBytes() + in.readableBytes() > MAX_BUFFERED) {
                fail(ctx, new NoiseException("peer sent " + (buffer.readableBytes() + in.readableBytes())
                        + " bytes during the session handshake"));
                return;
            }
            buffer.writeBytes(in);
        } finally {
            in.release();
        }
        drain(ctx);
    }

    private void drain(ChannelHandlerContext ctx) {
        if (busy || finished || buffer.readableBytes() < NoiseFraming.PREFIX_LENGTH) {
            return;
        }
        int length = buffer.getUnsignedShort(buffer.readerIndex());
        if (length > NoiseCipher.MAX_FRAME_LENGTH) {
            fail(ctx, new NoiseException("handshake message length " + length + " exceeds " + NoiseCipher.MAX_FRAME_LENGTH));
            return;
        }
        if (buffer.readableBytes() < NoiseFraming.PREFIX_LENGTH + length) {
            return;
        }
        buffer.skipBytes(NoiseFraming.PREFIX_LENGTH);
        byte[] message = new byte[length];
        buffer.readBytes(message);
        step(ctx, message);
    }

    private void step(ChannelHandlerContext ctx, byte[] message) {
        busy = true;
        try {
            crypto.execute(() -> {
                try {
                    if (message != null) {
                        handshake.readMessage(message);
                    }
                    byte[] reply = !handshake.isComplete() && handshake.isMyTurnToWrite() ? handshake.writeMessage() : null;
                    NoiseCipher cipher = handshake.isComplete() ? handshake.split() : null;
                    PeerKey remote = cipher == null ? null : handshake.remoteStatic();
                    ctx.executor().execute(() -> stepDone(ctx, reply, cipher, remote, null));
                } catch (Throwable t) {
                    ctx.executor().execute(() -> stepDone(ctx, null, null, null, t));
                }
            });
        } catch (RejectedExecutionException e) {
            stepDone(ctx, null, null, null, new NoiseException("session handshake refused: node is overloaded"));
        }
    }

    private void stepDone(ChannelHandlerContext ctx, byte[] reply, NoiseCipher cipher, PeerKey remote, Throwable error) {
        busy = false;
        if (error != null) {
            fail(ctx, error);
            return;
        }
        if (!ctx.channel().isActive()) {
            if (cipher != null) {
                cipher.destroy();
            }
            done.tryFailure(new ClosedChannelException());
            return;
        }
        if (reply != null) {
            // Flushed on its own: the server refuses a session whose first mux bytes share XK message 3's read.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(NoiseFraming.prefix(reply)));
        }
        if (cipher != null) {
            finished = true;
            handshake.destroy();
            ByteBuf rest = buffer;
            buffer = null;
            done.trySuccess(new Result(cipher, remote)); // listeners install the mux handler after this one
            ctx.pipeline().remove(this);
            if (rest.isReadable()) {
                ctx.fireChannelRead(rest);
            } else {
                rest.release();
            }
            return;
        }
        drain(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (finished) {
            ctx.fireExceptionCaught(cause);
        } else {
            fail(ctx, cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            done.tryFailure(new ClosedChannelException());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        if (!busy && !finished) {
            handshake.destroy();
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        done.tryFailure(cause);
        ctx.close();
    }
}
