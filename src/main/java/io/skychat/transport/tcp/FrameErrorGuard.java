package io.skychat.transport.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.skychat.crypto.NoiseException;
import io.skychat.transport.codec.FrameException;

/**
 * Last handler before Reactor Netty's: counts what a peer broke after the handshake and closes that one
 * connection at once, so no byte that followed the bad frame is ever read.
 */
final class FrameErrorGuard extends ChannelInboundHandlerAdapter {

    private final TcpStats stats;
    private boolean tripped; // a decoder may report the same bad bytes again as the channel closes

    FrameErrorGuard(TcpStats stats) {
        this.stats = stats;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (tripped) {
            return;
        }
        tripped = true;
        if (has(cause, FrameException.class)) {
            stats.chatFramesRejected.incrementAndGet();
        } else if (has(cause, NoiseException.class) || has(cause, TooLongFrameException.class)) {
            stats.noiseFramesRejected.incrementAndGet();
        }
        ctx.close();
        ctx.fireExceptionCaught(cause); // the link's inbound stream errors, so the chat service sees the drop
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
