package org.stsrelay.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stsrelay.testing.Eventually.eventually;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.HostPort;
import org.stsrelay.config.OwnerSiteConfig;
import org.stsrelay.config.ReceivedConfig;
import org.stsrelay.policy.fetch.FetchResult;
import org.stsrelay.policy.fetch.FetchSettings;
import org.stsrelay.policy.fetch.PolicyFetcher;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.RequiredTools;
import org.stsrelay.received.IntakeResult;

/** The owner site on 127.0.0.1, fetched by the relay's own strict fetcher and by curl. */
class OwnerSiteIT {

    private static final Path CURL = Path.of("/usr/bin/curl");

    private static final int MAX_REPORT = 1024;
    private static final String POLICY_PATH = "/.well-known/mta-sts.txt";

    private static EventLoopGroup group;

    @TempDir
    Path root;

    @TempDir
    Path scratch;

    private SiteFixture site;
    private final FakeIntake intake = new FakeIntake();
    private OwnerSiteServer server;
    private int port;
    private PolicyFetcher fetcher;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void start() throws Exception {
        site = new SiteFixture(root).domain("a.test", SiteFixture.POLICY_A).domain("b.test", SiteFixture.POLICY_B);
        OwnerSiteConfig config =
                new OwnerSiteConfig(Optional.of(new HostPort("127.0.0.1", 0)), root, Duration.ofMillis(50));
        ReceivedConfig received = new ReceivedConfig(root.resolve("received"), MAX_REPORT, 4 * MAX_REPORT, 14, 2, 10);
        server = new OwnerSiteServer(config, received, intake, group, new SimpleMeterRegistry(), Clock.systemUTC());
        server.start();
        port = server.boundAddress().getPort();
        FakeDns dns = new FakeDns()
                .address("mta-sts.a.test", InetAddress.getLoopbackAddress())
                .address("mta-sts.b.test", InetAddress.getLoopbackAddress());
        FetchSettings settings = FetchSettings.DEFAULTS
                .withPort(port)
                .withExtraTrustedCertificates(List.of(site.ca.certificate()))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
        fetcher = PolicyFetcher.create(settings, dns, group, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FetchResult fetch(String domain) {
        return fetcher.fetch(domain).toCompletableFuture().join();
    }

    private FetchResult.Fetched fetched(String domain) {
        FetchResult result = fetch(domain);
        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        return (FetchResult.Fetched) result;
    }

    /** What curl printed: the exit code, the response headers and the body. */
    private record Curl(int exit, String headers, String body) {
        int status() {
            String first = headers.lines().findFirst().orElse("");
            String[] parts = first.split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }
    }

    /** Runs curl against {@code https://<host>:<port><path>}, resolved to 127.0.0.1, trusting the test CA. */
    private Curl curl(String host, String path, String... options) throws Exception {
        RequiredTools.assume(
                "curl",
                Files.isExecutable(CURL),
                "curl is not installed (no " + CURL + "); install Debian's curl package");
        Path headers = Files.createTempFile(scratch, "headers", ".txt");
        Path body = Files.createTempFile(scratch, "body", ".txt");
        List<String> command = new ArrayList<>(List.of(
                CURL.toString(),
                "--silent",
                "--show-error",
                "--max-time",
                "20",
                "--cacert",
                site.caFile(scratch).toString(),
                "--resolve",
                host + ":" + port + ":127.0.0.1",
                "--dump-header",
                headers.toString(),
                "--output",
                body.toString()));
        command.addAll(List.of(options));
        command.add("https://" + host + ":" + port + path);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(scratch.resolve("curl.log").toFile())
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish within 30 s");
        }
        return new Curl(
                process.exitValue(),
                Files.readString(headers, StandardCharsets.ISO_8859_1),
                Files.readString(body, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("RFC 8461 §3.3: the relay's own strict fetcher gets each domain's policy under its own certificate")
    void strictFetcherGetsEachPolicy() {
        FetchResult.Fetched a = fetched("a.test");
        FetchResult.Fetched b = fetched("b.test");

        assertThat(a.body()).isEqualTo(SiteFixture.POLICY_A);
        assertThat(b.body()).isEqualTo(SiteFixture.POLICY_B);
        assertThat(a.info().certificate().orElseThrow().dnsNames()).containsExactly("mta-sts.a.test");
        assertThat(b.info().certificate().orElseThrow().dnsNames()).containsExactly("mta-sts.b.test");
        assertThat(a.info().contentType()).hasValue("text/plain; charset=utf-8");
        assertThat(a.info().redirectLocation()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.2, §3.3: curl gets the policy as text/plain over validated TLS, no redirect")
    void curlGetsPolicy() throws Exception {
        Curl curl = curl("mta-sts.a.test", POLICY_PATH);

        assertThat(curl.exit()).isZero();
        assertThat(curl.status()).isEqualTo(200);
        assertThat(curl.headers().toLowerCase()).contains("content-type: text/plain; charset=utf-8");
        assertThat(curl.headers().toLowerCase()).doesNotContain("location:");
        assertThat(curl.body()).isEqualTo(SiteFixture.POLICY_A);
    }

    @Test
    @DisplayName("HEAD gives the headers with the policy's Content-Length and no body")
    void curlHead() throws Exception {
        Curl curl = curl("mta-sts.b.test", POLICY_PATH, "--head");

        assertThat(curl.status()).isEqualTo(200);
        assertThat(curl.headers().toLowerCase()).contains("content-length: " + SiteFixture.POLICY_B.length());
        // With --head curl writes the headers as its output; the policy text must not be there.
        assertThat(curl.exit()).isZero();
        assertThat(curl.body()).doesNotContain("version: STSv1");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: another path or another Host is 404, never a redirect")
    void otherPathAndHostAre404() throws Exception {
        Curl path = curl("mta-sts.a.test", "/index.html");
        Curl host = curl("mta-sts.a.test", POLICY_PATH, "--header", "Host: www.a.test");

        assertThat(path.status()).isEqualTo(404);
        assertThat(host.status()).isEqualTo(404);
        assertThat(path.headers().toLowerCase()).doesNotContain("location:");
        assertThat(host.headers().toLowerCase()).doesNotContain("location:");
    }

    @Test
    @DisplayName("RFC 6066 §3: a handshake for an unknown name or without SNI is refused with unrecognized_name")
    void unknownNameIsRefused() throws Exception {
        assertThatThrownBy(() -> handshake(Optional.of("mta-sts.other.test")))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("unrecognized_name");
        assertThatThrownBy(() -> handshake(Optional.empty()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("unrecognized_name");
    }

    private void handshake(Optional<String> sni) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", site.ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(sni.map(name -> List.of(new SNIHostName(name))).orElse(List.of()).stream()
                    .map(javax.net.ssl.SNIServerName.class::cast)
                    .toList());
            socket.setSSLParameters(parameters);
            socket.startHandshake();
        }
    }

    @Test
    @DisplayName("RFC 8461 §3.3 (TLS 1.2+, RFC 8461 §7.2): TLS 1.1 is refused")
    void oldTlsIsRefused() throws Exception {
        Curl curl = curl("mta-sts.a.test", POLICY_PATH, "--tls-max", "1.1");

        assertThat(curl.exit()).isNotZero();
    }

    @Test
    @DisplayName("a changed policy file and a replaced certificate are served without a restart")
    void reloadsPolicyAndCertificate() throws Exception {
        Instant renewedFrom = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String changed = SiteFixture.POLICY_A.replace("mode: testing", "mode: enforce");

        site.policy("a.test", changed);
        site.certificate(
                "a.test",
                site.ca.issue("mta-sts.a.test", renewedFrom, renewedFrom.plusSeconds(86_400), "mta-sts.a.test"));

        eventually(() -> fetch("a.test") instanceof FetchResult.Fetched f
                && f.body().equals(changed)
                && f.info().certificate().orElseThrow().notBefore().equals(renewedFrom));
    }

    @Test
    @DisplayName("a broken replacement (certificate without its key, invalid policy) keeps the last good files")
    void brokenReplacementKeepsLastGood() throws Exception {
        Instant served = fetched("a.test").info().certificate().orElseThrow().notBefore();

        site.certificateOnly("a.test", site.ca.issue("mta-sts.a.test"));
        site.policy("a.test", "version: STSv1\nmode: sometimes\n");
        // Two reloads of b.test after the broken write prove that a look at a.test followed it.
        awaitReloadOfB("mode: testing");
        awaitReloadOfB("mode: none");

        FetchResult.Fetched a = fetched("a.test");
        assertThat(a.body()).isEqualTo(SiteFixture.POLICY_A);
        assertThat(a.info().certificate().orElseThrow().notBefore()).isEqualTo(served);
    }

    private void awaitReloadOfB(String mode) throws Exception {
        String policy = SiteFixture.POLICY_B.replace("mode: enforce", mode);
        site.policy("b.test", policy);
        eventually(() ->
                fetch("b.test") instanceof FetchResult.Fetched f && f.body().equals(policy));
    }

    @Test
    @DisplayName("RFC 8460 §3: a report posted to /tlsrpt is handed to the intake and answered 200")
    void postedReportIsAccepted() throws Exception {
        Path report = Files.writeString(scratch.resolve("report.json"), "{\"report-id\":\"r1\"}");

        Curl curl = curl(
                "mta-sts.a.test",
                "/tlsrpt",
                "--header",
                "Content-Type: application/tlsrpt+json",
                "--data-binary",
                "@" + report);

        assertThat(curl.status()).isEqualTo(200);
        assertThat(intake.calls)
                .singleElement()
                .satisfies(call -> assertThat(new String(call.body(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"report-id\":\"r1\"}"));
    }

    @Test
    @DisplayName("a post over received.max-report-size is 413")
    void oversizedPostIs413() throws Exception {
        Path report = Files.write(scratch.resolve("big.json"), new byte[MAX_REPORT + 1]);

        Curl curl = curl(
                "mta-sts.a.test",
                "/tlsrpt",
                "--header",
                "Content-Type: application/tlsrpt+gzip",
                "--data-binary",
                "@" + report);

        assertThat(curl.status()).isEqualTo(413);
        assertThat(intake.calls).isEmpty();
    }

    @Test
    @DisplayName("RFC 8460 §6.4, §6.5: no Content-Type or a wrong one is 415")
    void wrongMediaTypeIs415() throws Exception {
        Path report = Files.writeString(scratch.resolve("report.json"), "{}");
        Curl none = curl("mta-sts.a.test", "/tlsrpt", "--header", "Content-Type:", "--data-binary", "@" + report);
        intake.answer(new IntakeResult.Refused(IntakeResult.Refusal.MEDIA_TYPE, "text/plain is not a report type"));
        Curl wrong = curl(
                "mta-sts.a.test", "/tlsrpt", "--header", "Content-Type: text/plain", "--data-binary", "@" + report);

        assertThat(none.status()).isEqualTo(415);
        assertThat(wrong.status()).isEqualTo(415);
        assertThat(wrong.body()).isEqualTo("text/plain is not a report type\n");
    }

    @Test
    @DisplayName("a storage refusal is 503, so that the sender retries")
    void storageRefusalIs503() throws Exception {
        intake.answer(new IntakeResult.Refused(IntakeResult.Refusal.STORAGE, "the disk is full"));
        Path report = Files.writeString(scratch.resolve("report.json"), "{}");

        Curl curl = curl(
                "mta-sts.b.test",
                "/tlsrpt",
                "--header",
                "Content-Type: application/tlsrpt+json",
                "--data-binary",
                "@" + report);

        assertThat(curl.status()).isEqualTo(503);
        assertThat(curl.body()).isEqualTo("the disk is full\n");
    }

    @Test
    @DisplayName("a missing domains directory fails the start with its name")
    void missingDirectoryFailsStart() {
        OwnerSiteConfig config = new OwnerSiteConfig(
                Optional.of(new HostPort("127.0.0.1", 0)), root.resolve("missing"), Duration.ofSeconds(5));
        OwnerSiteServer broken = new OwnerSiteServer(
                config, ReceivedConfig.DEFAULT, intake, group, new SimpleMeterRegistry(), Clock.systemUTC());

        assertThatThrownBy(broken::start).isInstanceOf(IOException.class).hasMessageContaining("missing");
        broken.close();
    }
}
