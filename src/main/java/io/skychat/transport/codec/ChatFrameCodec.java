package io.skychat.transport.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
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
        super(Envelope.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope envelope, ByteBuf out) {
        byte[] payload = EnvelopeCodec.encode(envelope);
        ChatFrames.check(payload.length);
        out.writeInt(payload.length).writeBytes(payload);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            java.nio.ByteBuffer view = in.nioBuffer();
            byte[] payload = ChatFrames.tryDecode(view);
            if (payload == null) {
                return;
            }
            in.skipBytes(ChatFrames.HEADER + payload.length);
            out.add(EnvelopeCodec.decode(payload));
        }
    }
}
