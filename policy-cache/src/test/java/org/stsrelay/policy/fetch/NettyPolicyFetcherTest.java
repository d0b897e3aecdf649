package org.stsrelay.policy.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.testing.FakeDns;

class NettyPolicyFetcherTest {

    private static final String DOMAIN = "example.com";
    private static final String HOST = "mta-sts.example.com";
    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";

    private static EventLoopGroup group;
    private static TestCa ca;
    private static TestCa rogue;
    private final FakeDns dns = new FakeDns().address(HOST, InetAddress.getLoopbackAddress());

    @BeforeAll
    static void startGroup() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ca = new TestCa("sts-relay test root");
        rogue = new TestCa("rogue root");
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private FetchSettings settings(int port) {
        return FetchSettings.DEFAULTS
                .withPort(port)
                .withExtraTrustedCertificates(List.of(ca.certificate()))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    private FetchResult fetch(TestCa.Issued identity, TestHttpsServer.Reply reply) throws Exception {
        return fetch(identity, reply, port -> settings(port));
    }

    private FetchResult fetch(
            TestCa.Issued identity, TestHttpsServer.Reply reply, java.util.function.IntFunction<FetchSettings> settings)
            throws Exception {
        try (TestHttpsServer server = new TestHttpsServer(group, identity, reply)) {
            PolicyFetcher fetcher = PolicyFetcher.create(settings.apply(server.port()), dns, group, Clock.systemUTC());
            return fetcher.fetch(DOMAIN).toCompletableFuture().join();
        }
    }

    private static void assertFailed(FetchResult result, ResultType type, String detail) {
        assertThat(result).isInstanceOf(FetchResult.Failed.class);
        FetchResult.Failed failed = (FetchResult.Failed) result;
        assertThat(failed.resultType()).isEqualTo(type);
        assertThat(failed.detail()).contains(detail);
    }

    @Test
    @DisplayName("RFC 8461 §3.3, §7.1: GET of the well-known URL over TLS with SNI = policy host, certificate shown")
    void fetchesOverValidatedTls() throws Exception {
        try (TestHttpsServer server = new TestHttpsServer(group, ca.issue(HOST), TestHttpsServer.Reply.ok(POLICY))) {
            FetchResult result = PolicyFetcher.create(settings(server.port()), dns, group, Clock.systemUTC())
                    .fetch(DOMAIN)
                    .toCompletableFuture()
                    .join();
            assertThat(result).isInstanceOf(FetchResult.Fetched.class);
            assertThat(((FetchResult.Fetched) result).body()).isEqualTo(POLICY);
            assertThat(server.sni()).isEqualTo(HOST);
            assertThat(server.requestedPath()).isEqualTo("/.well-known/mta-sts.txt");
            FetchInfo info = result.info();
            assertThat(info.status()).hasValue(200);
            assertThat(info.tlsProtocol().orElseThrow()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(info.certificate().orElseThrow().dnsNames()).containsExactly(HOST);
            assertThat(info.connectedTo()).hasValue("127.0.0.1");
            assertThat(info.url()).isEqualTo("https://" + HOST + ":" + server.port() + "/.well-known/mta-sts.txt");
        }
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a wildcard DNS-ID as the whole left-most label is valid")
    void acceptsWildcardCertificate() throws Exception {
        assertThat(fetch(ca.issue("*.example.com"), TestHttpsServer.Reply.ok(POLICY)))
                .isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    @DisplayName("RFC 8461 §3.3, RFC 8460 §4.3.2.2: an expired certificate is sts-webpki-invalid")
    void rejectsExpiredCertificate() throws Exception {
        TestCa.Issued expired =
                ca.issue(HOST, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"), HOST);
        assertFailed(
                fetch(expired, TestHttpsServer.Reply.ok(POLICY)),
                ResultType.STS_WEBPKI_INVALID,
                "certificate for mta-sts.example.com expired 2021-01-01");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a certificate for another host is sts-webpki-invalid")
    void rejectsWrongHost() throws Exception {
        assertFailed(
                fetch(ca.issue("www.example.com"), TestHttpsServer.Reply.ok(POLICY)),
                ResultType.STS_WEBPKI_INVALID,
                "not mta-sts.example.com");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a wildcard must not match two labels")
    void rejectsWildcardTooHigh() throws Exception {
        assertFailed(
                fetch(ca.issue("*.com"), TestHttpsServer.Reply.ok(POLICY)),
                ResultType.STS_WEBPKI_INVALID,
                "certificate for mta-sts.example.com");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a certificate from an untrusted CA is sts-webpki-invalid")
    void rejectsUntrustedCa() throws Exception {
        assertFailed(
                fetch(rogue.issue(HOST), TestHttpsServer.Reply.ok(POLICY)),
                ResultType.STS_WEBPKI_INVALID,
                "does not chain to a trusted CA");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: the CN is never used; a certificate without DNS-ID fails")
    void rejectsCommonNameOnly() throws Exception {
        Instant now = Instant.now();
        TestCa.Issued cnOnly = ca.issue(HOST, now.minusSeconds(60), now.plusSeconds(86_400));
        assertFailed(
                fetch(cnOnly, TestHttpsServer.Reply.ok(POLICY)),
                ResultType.STS_WEBPKI_INVALID,
                "certificate for mta-sts.example.com");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: only HTTP 200 is a policy: anything else is sts-policy-fetch-error")
    void rejectsNon200() throws Exception {
        TestHttpsServer.Reply notFound = new TestHttpsServer.Reply(
                404, "text/html", null, "<html>not found</html>".getBytes(StandardCharsets.UTF_8), false, false);
        FetchResult result = fetch(ca.issue(HOST), notFound);
        assertFailed(result, ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404");
        assertThat(result.info().status()).hasValue(404);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: redirects are never followed")
    void doesNotFollowRedirects() throws Exception {
        TestHttpsServer.Reply redirect = new TestHttpsServer.Reply(
                301, "text/plain", "https://elsewhere.example/p.txt", new byte[0], false, false);
        FetchResult result = fetch(ca.issue(HOST), redirect);
        assertFailed(
                result,
                ResultType.STS_POLICY_FETCH_ERROR,
                "HTTP 301 redirect to https://elsewhere.example/p.txt not followed");
        assertThat(result.info().redirectLocation()).hasValue("https://elsewhere.example/p.txt");
    }

    @Test
    @DisplayName("RFC 8461 §3.2: a media type other than text/plain is sts-policy-invalid")
    void requiresTextPlain() throws Exception {
        assertFailed(
                fetch(ca.issue(HOST), TestHttpsServer.Reply.ok(POLICY).withContentType("application/octet-stream")),
                ResultType.STS_POLICY_INVALID,
                "Content-Type application/octet-stream, not text/plain");
        assertFailed(
                fetch(ca.issue(HOST), TestHttpsServer.Reply.ok(POLICY).withContentType(null)),
                ResultType.STS_POLICY_INVALID,
                "Content-Type missing");
    }

    @Test
    @DisplayName("RFC 8461 §3.2: charset parameters and case are accepted; the check can be relaxed")
    void acceptsTextPlainVariants() throws Exception {
        assertThat(FetchHandler.isTextPlain("text/plain")).isTrue();
        assertThat(FetchHandler.isTextPlain("TEXT/Plain ; charset=US-ASCII")).isTrue();
        assertThat(FetchHandler.isTextPlain("text/plainx")).isFalse();
        assertThat(fetch(
                        ca.issue(HOST),
                        TestHttpsServer.Reply.ok(POLICY).withContentType("application/octet-stream"),
                        port -> settings(port).withRequireTextPlain(false)))
                .isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a body over 64 KiB is rejected, never truncated (Content-Length)")
    void rejectsOversizeBody() throws Exception {
        FetchResult result = fetch(ca.issue(HOST), TestHttpsServer.Reply.ok("x".repeat(65_537)));
        assertFailed(result, ResultType.STS_POLICY_INVALID, "body larger than 65536 octets");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: the size cap is enforced while reading a chunked body")
    void rejectsOversizeChunkedBody() throws Exception {
        FetchResult result = fetch(
                ca.issue(HOST), TestHttpsServer.Reply.ok("x".repeat(200_000)).chunkedBody());
        assertFailed(result, ResultType.STS_POLICY_INVALID, "body larger than 65536 octets");
        assertThat(result.info().bodyBytes()).isLessThan(200_000);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a body of exactly 64 KiB is read whole, chunked too")
    void acceptsBodyAtTheLimit() throws Exception {
        FetchResult result = fetch(
                ca.issue(HOST), TestHttpsServer.Reply.ok("y".repeat(65_536)).chunkedBody());
        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        assertThat(((FetchResult.Fetched) result).body()).hasSize(65_536);
    }

    @Test
    @DisplayName("a body that is not UTF-8 is sts-policy-invalid")
    void rejectsNonUtf8() throws Exception {
        byte[] latin1 = POLICY.replace("enforce", "enf\u00f6rce").getBytes(StandardCharsets.ISO_8859_1);
        TestHttpsServer.Reply reply = new TestHttpsServer.Reply(200, "text/plain", null, latin1, false, false);
        assertFailed(fetch(ca.issue(HOST), reply), ResultType.STS_POLICY_INVALID, "not valid UTF-8");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a server that never answers hits the total timeout")
    void timesOut() throws Exception {
        TestHttpsServer.Reply hang = new TestHttpsServer.Reply(200, "text/plain", null, new byte[0], false, true);
        FetchResult result = fetch(
                ca.issue(HOST),
                hang,
                port -> settings(port).withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(400)));
        assertFailed(result, ResultType.STS_POLICY_FETCH_ERROR, "no complete answer from mta-sts.example.com");
    }

    @Test
    @DisplayName("RFC 8460 §4.3.2.2: an unreachable policy host is sts-policy-fetch-error")
    void reportsConnectionFailure() throws Exception {
        int port;
        try (TestHttpsServer closed = new TestHttpsServer(group, ca.issue(HOST), TestHttpsServer.Reply.ok(POLICY))) {
            port = closed.port();
        }
        FetchResult result = PolicyFetcher.create(settings(port), dns, group, Clock.systemUTC())
                .fetch(DOMAIN)
                .toCompletableFuture()
                .join();
        assertFailed(result, ResultType.STS_POLICY_FETCH_ERROR, "could not connect to mta-sts.example.com");
    }

    @Test
    @DisplayName("the policy host is resolved by our DNS client: NXDOMAIN is a fetch error")
    void resolvesThroughOurDns() {
        FetchResult result = PolicyFetcher.create(settings(443), dns, group, Clock.systemUTC())
                .fetch("nowhere.example")
                .toCompletableFuture()
                .join();
        assertFailed(result, ResultType.STS_POLICY_FETCH_ERROR, "mta-sts.nowhere.example does not exist (NXDOMAIN)");
        assertThat(result.info().addresses()).isEmpty();
    }

    @Test
    @DisplayName("concurrent fetches are capped; the others wait their turn")
    void capsConcurrentFetches() {
        FetchLimiter limiter = new FetchLimiter(2);
        java.util.concurrent.CompletableFuture<?>[] gates = new java.util.concurrent.CompletableFuture<?>[5];
        int[] started = {0};
        for (int i = 0; i < gates.length; i++) {
            java.util.concurrent.CompletableFuture<Object> gate = new java.util.concurrent.CompletableFuture<>();
            gates[i] = gate;
            limiter.submit(() -> {
                started[0]++;
                return gate;
            });
        }
        assertThat(started[0]).isEqualTo(2);
        ((java.util.concurrent.CompletableFuture<Object>) gates[0]).complete(null);
        assertThat(started[0]).isEqualTo(3);
        Arrays.stream(gates).forEach(gate -> ((java.util.concurrent.CompletableFuture<Object>) gate).complete(null));
        assertThat(started[0]).isEqualTo(5);
    }
}
