package io.skychat.transport.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import io.skychat.core.Envelope;

/**
 * Netty adapter for {@link ChatFrames} and {@link EnvelopeCodec}: handlers after it see whole
 * {@link Envelope}s and write them the same way. Decoding errors reach the connection's error path,
 * which closes it.
 */
public final class ChatFrameCodec extends ByteToMessageCodec<Envelope> {

    public ChatFrameCodec() {
        super(Envelope.class, false); // heap frames: the Noise handler behind seals them in place
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope envelope, ByteBuf out) {
        // The payload goes straight into the (pooled) frame buffer behind a header filled in afterwards.
        int header = out.writerIndex();
        out.writeInt(0);
        EnvelopeCodec.encodeInto(envelope, new ByteBufOutputStream(out));
        int length = out.writerIndex() - header - ChatFrames.HEADER;
        ChatFrames.check(length);
        out.setInt(header, length);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= ChatFrames.HEADER) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length < 1 || length > ChatFrames.MAX_PAYLOAD) {
                throw FrameException.badLength(length);
            }
            if (in.readableBytes() < ChatFrames.HEADER + length) {
                return;
            }
            int start = in.readerIndex() + ChatFrames.HEADER;
            int n = (int) length;
            // Decoded where it lies when the buffer is on the heap: no copy of the payload first.
            out.add(in.hasArray() ? EnvelopeCodec.decode(in.array(), in.arrayOffset() + start, n)
                    : EnvelopeCodec.decode(ByteBufUtil.getBytes(in, start, n)));
            in.skipBytes(ChatFrames.HEADER + n);
        }
    }
}
