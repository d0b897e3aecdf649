package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.inbound.TlsClient.b64;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed AUTH attempts per client address: delayed replies, the lockout, its window (SmtpHarness.AUTH_FAILURES). */
class AuthThrottleTest {

    private static final String GOOD = "AUTH PLAIN " + b64("\0alice\0s3cret") + "\r\n";
    private static final String BAD = "AUTH PLAIN " + b64("\0alice\0wrong") + "\r\n";
    private static final String FAILED = "535 5.7.8 Authentication credentials invalid\r\n";
    private static final String LOCKED_OUT =
            "421 4.7.0 Too many failed authentication attempts from your address, try again later\r\n";
    private static final Duration WINDOW = SmtpHarness.AUTH_FAILURES.window();
    private static final Duration MS = Duration.ofMillis(1);

    private static SslContext serverTls;
    private static SslContext clientTls;

    @TempDir
    Path dir;

    private SmtpHarness harness;

    @BeforeAll
    static void mint(@TempDir Path certDir) throws Exception {
        TestCertificate certificate = TestCertificate.mint("EC");
        serverTls = InboundTls.serverContext(certificate.write(certDir, false));
        clientTls = SslContextBuilder.forClient()
                .trustManager(certificate.certificate)
                .protocols("TLSv1.3")
                .build();
    }

    @BeforeEach
    void start() throws Exception {
        String hash = new PasswordHasher(1000, new SecureRandom()).hash("s3cret".toCharArray());
        Path users = Files.writeString(dir.resolve("users"), "alice:" + hash + "\n");
        // Errors close a session after 20, so only the AUTH throttle closes one here.
        harness = new SmtpHarness(
                SmtpHarness.config(10_000, 100, 3, 20),
                Optional.of(serverTls),
                Optional.of(UsersFile.load(users)),
                Runnable::run);
    }

    @Test
    @DisplayName(
            "RFC 4954 §9: failure replies wait 0 s, 1 s, 2 s, 4 s; the 5th failure gets 421 4.7.0 after 8 s and a close")
    void growingDelaysThenLockout() {
        TlsClient client = connect(SmtpHarness.STRANGER);
        assertThat(client.send(BAD)).isEqualTo(FAILED);
        for (int seconds : new int[] {1, 2, 4}) {
            Duration delay = Duration.ofSeconds(seconds);
            assertThat(client.send(BAD)).isEmpty();
            assertThat(client.after(delay.minus(MS))).as("before %s", delay).isEmpty();
            assertThat(client.after(MS)).as("at %s", delay).isEqualTo(FAILED);
        }
        assertThat(client.send(BAD)).isEmpty();
        assertThat(client.after(Duration.ofSeconds(8).minus(MS))).isEmpty();
        assertThat(client.isOpen()).isTrue();
        assertThat(client.after(MS)).isEqualTo(LOCKED_OUT);
        assertThat(client.isOpen()).isFalse();
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "auth_failed"))
                .isEqualTo(5);
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "auth_throttled"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName(
            "RFC 4954 §9: a new connection from a locked-out address gets 421 4.7.0 at AUTH, even with the right password")
    void lockoutReachesNewConnections() {
        lockOut(SmtpHarness.STRANGER);
        TlsClient again = connect(SmtpHarness.STRANGER);
        assertThat(again.send("NOOP\r\n")).isEqualTo("250 2.0.0 Ok\r\n");
        assertThat(again.send(GOOD)).isEqualTo(LOCKED_OUT);
        assertThat(again.isOpen()).isFalse();
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "auth_failed"))
                .isEqualTo(5);
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "auth_throttled"))
                .isEqualTo(2);
    }

    @Test
    @DisplayName("The lockout ends when the window has passed since the last failure")
    void lockoutEndsWithTheWindow() {
        lockOut(SmtpHarness.STRANGER);
        harness.ticker.advance(WINDOW.minusSeconds(1));
        assertThat(connect(SmtpHarness.STRANGER).send(GOOD)).isEqualTo(LOCKED_OUT);
        harness.ticker.advance(Duration.ofSeconds(1));
        assertThat(connect(SmtpHarness.STRANGER).send(GOOD)).isEqualTo("235 2.7.0 Authentication successful\r\n");
    }

    @Test
    @DisplayName("Failures are forgotten after the window: the next failure is answered at once again")
    void failuresExpire() {
        TlsClient client = connect(SmtpHarness.STRANGER);
        client.send(BAD);
        client.send(BAD);
        assertThat(client.after(Duration.ofSeconds(1))).isEqualTo(FAILED);
        harness.ticker.advance(WINDOW);
        assertThat(client.send(BAD)).isEqualTo(FAILED);
    }

    @Test
    @DisplayName("A successful AUTH is answered at once, after failures too, and is not counted")
    void successIsNotDelayed() {
        TlsClient client = connect(SmtpHarness.STRANGER);
        client.send(BAD);
        client.send(BAD);
        client.after(Duration.ofSeconds(1));
        assertThat(client.send(GOOD)).isEqualTo("235 2.7.0 Authentication successful\r\n");
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "auth_failed"))
                .isEqualTo(2);
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "auth_throttled"))
                .isZero();
    }

    @Test
    @DisplayName("A lockout is per address: another client address still authenticates")
    void otherAddressesUnaffected() {
        lockOut(SmtpHarness.STRANGER);
        TlsClient other = connect(new InetSocketAddress("198.51.100.9", 40000));
        assertThat(other.send(GOOD)).isEqualTo("235 2.7.0 Authentication successful\r\n");
    }

    @Test
    @DisplayName("Closing during the delay does not escape it: the failure counts for the next connection")
    void closingEarlyStillCounts() {
        TlsClient first = connect(SmtpHarness.STRANGER);
        first.send(BAD);
        assertThat(first.send(BAD)).isEmpty();
        first.plain.channel.close();
        TlsClient second = connect(SmtpHarness.STRANGER);
        assertThat(second.send(BAD)).isEmpty();
        assertThat(second.after(Duration.ofSeconds(2))).isEqualTo(FAILED);
    }

    @Test
    @DisplayName("A refused PLAIN response (authorization identity of another user) counts as a failure")
    void refusedWithoutLookupCounts() {
        TlsClient client = connect(SmtpHarness.STRANGER);
        assertThat(client.send("AUTH PLAIN " + b64("bob\0alice\0s3cret") + "\r\n"))
                .isEqualTo(FAILED);
        assertThat(client.send(BAD)).isEmpty();
        assertThat(client.after(Duration.ofSeconds(1))).isEqualTo(FAILED);
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "auth_failed"))
                .isEqualTo(2);
    }

    @Test
    @DisplayName("A shutdown during the delay sends the 535, then 421 4.3.2 and closes")
    void shutdownDuringDelay() {
        TlsClient client = connect(SmtpHarness.STRANGER);
        client.send(BAD);
        client.send(BAD);
        client.plain.channel.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE);
        assertThat(client.replies()).isEmpty();
        assertThat(client.after(Duration.ofSeconds(1)))
                .isEqualTo(FAILED + "421 4.3.2 Service shutting down, try again later\r\n");
        assertThat(client.isOpen()).isFalse();
    }

    private TlsClient connect(InetSocketAddress from) {
        SmtpHarness.Client plain = harness.connect(from);
        plain.replies();
        TlsClient client = TlsClient.start(plain, clientTls);
        assertThat(client.send("EHLO c.example.org\r\n")).contains("250-AUTH PLAIN LOGIN\r\n");
        return client;
    }

    private void lockOut(InetSocketAddress from) {
        TlsClient client = connect(from);
        for (int i = 0; i < SmtpHarness.AUTH_FAILURES.max(); i++) {
            client.send(BAD);
            client.after(SmtpHarness.AUTH_FAILURES.maxDelay());
        }
        assertThat(client.isOpen()).isFalse();
    }
}
