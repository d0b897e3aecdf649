package org.stsrelay.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.dane.DaneFixtures.selfSigned;
import static org.stsrelay.dane.DaneFixtures.tlsa;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.delivery.ClientEngines;
import org.stsrelay.policy.fetch.TestCa;

class DaneTrustManagerTest {

    /** The key and chain a loopback TLS server presents. */
    record Identity(PrivateKey key, List<X509Certificate> chain) {
    }

    /** What a handshake left behind: whether it completed, the SNI the server saw, the client's cause. */
    record Handshake(boolean completed, List<String> serverNames, Throwable failure) {
    }

    private static final ReferenceIdentifiers MX = ReferenceIdentifiers.of("mx.example.com", "example.com");
    private static final DaneVerifier VERIFIER = new DaneVerifier(Clock.systemUTC());

    private static EventLoopGroup group;
    private static Identity selfSigned;
    private static Identity expired;
    private static Identity caIssued;
    private static Identity wrongName;
    private static TestCa ca;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Instant now = Instant.now();
        DaneFixtures.SelfSigned self = selfSigned("mx.example.com", now.minus(1, ChronoUnit.DAYS),
                now.plus(30, ChronoUnit.DAYS));
        selfSigned = new Identity(self.key(), List.of(self.certificate()));
        DaneFixtures.SelfSigned old = selfSigned("other.example.net", now.minus(30, ChronoUnit.DAYS),
                now.minus(1, ChronoUnit.DAYS));
        expired = new Identity(old.key(), List.of(old.certificate()));
        ca = new TestCa("DANE Handshake CA");
        TestCa.Issued right = ca.issue("mx.example.com");
        caIssued = new Identity(right.key(), List.of(right.chain()));
        TestCa.Issued wrong = ca.issue("other.example.net");
        wrongName = new Identity(wrong.key(), List.of(wrong.chain()));
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    static Stream<Arguments> handshakes() throws Exception {
        Function<TlsaRecord, DaneTrustManager> authenticating = record -> DaneTrustManager.authenticating(VERIFIER,
                (TlsaRrset.Usable) TlsaRrset.classify(List.of(record)), MX);
        TlsaRecord selfEe = tlsa(3, 1, 1, selfSigned.chain().get(0));
        TlsaRecord caTa = tlsa(2, 1, 1, ca.certificate());
        TlsaRecord expiredEe = tlsa(3, 1, 1, expired.chain().get(0));
        return Stream.of(
                Arguments.of("RFC 7672 §3.1.1, §8.1: 3 1 1 on a self-signed leaf completes, SNI is the base domain",
                        selfSigned, authenticating.apply(selfEe), new DaneResult.Authenticated(selfEe)),
                Arguments.of("RFC 7672 §3.1.1: 3 1 1 on an expired leaf for another name completes", expired,
                        authenticating.apply(expiredEe), new DaneResult.Authenticated(expiredEe)),
                Arguments.of("RFC 7672 §3.2.2: 2 1 1 on the CA with the right name completes", caIssued,
                        authenticating.apply(caTa), new DaneResult.Authenticated(caTa)),
                Arguments.of("RFC 7672 §3.2: 3 1 1 mismatch on a PKIX-valid chain is refused", caIssued,
                        authenticating.apply(selfEe), DaneFailure.NO_MATCH),
                Arguments.of("RFC 7672 §3.2.2: 2 1 1 on the CA with a wrong name is refused", wrongName,
                        authenticating.apply(caTa), DaneFailure.NAME_MISMATCH),
                Arguments.of("RFC 7672 §2.2: no usable record: any certificate completes, unauthenticated", expired,
                        DaneTrustManager.unauthenticated(MX),
                        new DaneResult.Unauthenticated(expired.chain().get(0).getSubjectX500Principal().getName())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handshakes")
    void decidesTheHandshake(String rule, Identity server, DaneTrustManager trust, Object expected) throws Exception {
        Handshake handshake = handshake(server, trust);

        if (expected instanceof DaneFailure failure) {
            assertThat(handshake.completed()).isFalse();
            assertThat(trust.result()).hasValueSatisfying(result -> assertThat(result)
                    .isInstanceOfSatisfying(DaneResult.Refused.class, r -> assertThat(r.failure()).isEqualTo(failure)));
            Throwable root = rootCause(handshake.failure());
            assertThat(root).hasMessageStartingWith("DANE authentication failed (" + failure.resultType() + ")");
            assertThat(root.getStackTrace()).isEmpty();
        } else {
            assertThat(handshake.completed()).isTrue();
            assertThat(trust.result()).contains((DaneResult) expected);
            assertThat(handshake.serverNames()).containsExactly("mx.example.com");
        }
    }

    private static Handshake handshake(Identity identity, DaneTrustManager trust) throws Exception {
        SslContext tls = SslContextBuilder.forServer(identity.key(), identity.chain()).sslProvider(SslProvider.JDK)
                .build();
        CompletableFuture<List<String>> serverNames = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        SslHandler handler = tls.newHandler(channel.alloc());
                        handler.handshakeFuture().addListener(done -> serverNames.complete(done.isSuccess()
                                ? names((ExtendedSSLSession) handler.engine().getSession()) : List.of()));
                        channel.pipeline().addLast(handler, new HangUpOnError());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        SslHandler client = new SslHandler(ClientEngines.create(trust.context(), trust.serverName(), port));
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(client, new HangUpOnError());
                    }
                })
                .connect(server.localAddress()).sync().channel();
        try {
            Future<Channel> done = client.handshakeFuture();
            assertThat(done.await(10, TimeUnit.SECONDS)).as("the handshake ended").isTrue();
            List<String> names = done.isSuccess() ? serverNames.get(10, TimeUnit.SECONDS) : List.of();
            return new Handshake(done.isSuccess(), names, done.cause());
        } finally {
            channel.close().sync();
            server.close().sync();
        }
    }

    private static List<String> names(ExtendedSSLSession session) {
        return session.getRequestedServerNames().stream().filter(SNIHostName.class::isInstance)
                .map(name -> ((SNIHostName) name).getAsciiName()).toList();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    /** The peer that refuses ends the handshake with an alert; the other side just hangs up. */
    private static final class HangUpOnError extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
