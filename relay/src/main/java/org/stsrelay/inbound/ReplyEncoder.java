package org.stsrelay.inbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link Reply} values as CRLF-terminated reply lines. */
@Sharable
final class ReplyEncoder extends MessageToByteEncoder<Reply> {

    ReplyEncoder() {
        super(Reply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply reply, ByteBuf out) {
        reply.writeTo(out);
    }
}
