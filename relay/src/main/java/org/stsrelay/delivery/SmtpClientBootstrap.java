package org.stsrelay.delivery;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.stsrelay.support.Transports;

/** Opens an SMTP client connection: the pipeline every outbound session starts with, before STARTTLS. */
final class SmtpClientBootstrap {

    /** Generous for multi-line EHLO replies, still bounded. */
    static final int MAX_REPLY_LINE = 8192;

    private SmtpClientBootstrap() {}

    /** Connects to {@code address}; {@code session} (named {@code name}) follows the SMTP codec. */
    static ChannelFuture connect(
            EventLoopGroup group, InetSocketAddress address, Duration timeout, String name, ChannelHandler session) {
        return Transports.client(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // TLS goes in front of these after the 220 to STARTTLS.
                        channel.pipeline()
                                .addLast("smtp-decoder", new SmtpResponseDecoder(MAX_REPLY_LINE))
                                .addLast("smtp-encoder", new SmtpRequestEncoder())
                                .addLast(name, session);
                    }
                })
                .connect(address);
    }
}
