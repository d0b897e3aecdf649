package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartTlsAuthTest {

    private static TestCertificate certificate;
    private static SslContext serverTls;
    private static SslContext clientTls;

    @TempDir
    Path dir;

    private SmtpHarness harness;
    private SmtpHarness.Client client;
    private TlsClient tlsClient;

    @BeforeAll
    static void mint(@TempDir Path certDir) throws Exception {
        certificate = TestCertificate.mint("EC");
        serverTls = InboundTls.serverContext(certificate.write(certDir, false));
        clientTls = SslContextBuilder.forClient()
                .trustManager(certificate.certificate)
                .protocols("TLSv1.3")
                .build();
    }

    @BeforeEach
    void connect() throws Exception {
        String hash = new PasswordHasher(1000, new SecureRandom()).hash("s3cret".toCharArray());
        Path users = Files.writeString(dir.resolve("users"), "# test users\nalice:" + hash + "\n");
        harness = new SmtpHarness(
                SmtpHarness.config(), Optional.of(serverTls), Optional.of(UsersFile.load(users)), Runnable::run);
        client = harness.connect(SmtpHarness.STRANGER);
        client.replies();
    }

    @Test
    @DisplayName("RFC 3207 §4: EHLO offers STARTTLS and no AUTH before TLS")
    void ehloBeforeTls() {
        assertThat(client.send("EHLO c.example.org\r\n"))
                .contains("250-STARTTLS\r\n")
                .doesNotContain("AUTH")
                .doesNotContain("REQUIRETLS");
    }

    @Test
    @DisplayName("RFC 4954 §4: AUTH before TLS is refused with 538 5.7.11")
    void authBeforeTls() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n")).startsWith("538 5.7.11 ");
    }

    @Test
    @DisplayName("RFC 3207 §4.2, CVE-2011-0411: commands pipelined after STARTTLS are refused and the session closed")
    void startTlsInjection() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("STARTTLS\r\nMAIL FROM:<x@example.org>\r\n"))
                .isEqualTo("554 5.5.0 Pipelining after STARTTLS not allowed\r\n");
        assertThat(client.channel.isOpen()).isFalse();
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "starttls_injection"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName(
            "RFC 3207 §4.2: after the handshake EHLO is required again and offers AUTH and REQUIRETLS, not STARTTLS")
    void afterHandshake() {
        startTls();
        assertThat(secure("MAIL FROM:<a@example.org>\r\n")).startsWith("503 5.5.1 ");
        String ehlo = secure("EHLO c.example.org\r\n");
        assertThat(ehlo)
                .contains("250-AUTH PLAIN LOGIN\r\n")
                .contains("250-REQUIRETLS\r\n")
                .doesNotContain("STARTTLS");
    }

    @Test
    @DisplayName("RFC 3207 §4.2: STARTTLS twice is 503 5.5.1")
    void startTlsTwice() {
        startTls();
        secure("EHLO c.example.org\r\n");
        assertThat(secure("STARTTLS\r\n")).startsWith("503 5.5.1 ");
    }

    @Test
    @DisplayName(
            "RFC 4616: AUTH PLAIN with an initial response and good credentials is 235 2.7.0, and relaying is allowed")
    void authPlain() {
        startTls();
        secure("EHLO c.example.org\r\n");
        assertThat(secure("AUTH PLAIN " + b64("\0alice\0s3cret") + "\r\n"))
                .isEqualTo("235 2.7.0 Authentication successful\r\n");
        assertThat(secure("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n"))
                .endsWith("250 2.1.5 Recipient OK\r\n");
    }

    @Test
    @DisplayName("RFC 4954 §4: AUTH PLAIN with a 334 continuation")
    void authPlainContinuation() {
        startTls();
        secure("EHLO c.example.org\r\n");
        assertThat(secure("AUTH PLAIN\r\n")).isEqualTo("334 \r\n");
        assertThat(secure(b64("alice\0alice\0s3cret") + "\r\n")).isEqualTo("235 2.7.0 Authentication successful\r\n");
    }

    @Test
    @DisplayName("RFC 4954 §4: AUTH LOGIN asks for user and password")
    void authLogin() {
        startTls();
        secure("EHLO c.example.org\r\n");
        assertThat(secure("AUTH LOGIN\r\n")).isEqualTo("334 VXNlcm5hbWU6\r\n");
        assertThat(secure(b64("alice") + "\r\n")).isEqualTo("334 UGFzc3dvcmQ6\r\n");
        assertThat(secure(b64("s3cret") + "\r\n")).isEqualTo("235 2.7.0 Authentication successful\r\n");
    }

    @Test
    @DisplayName("RFC 4954 §6: bad credentials are 535 5.7.8 and relaying stays denied")
    void authFailure() {
        startTls();
        secure("EHLO c.example.org\r\n");
        assertThat(secure("AUTH PLAIN " + b64("\0alice\0wrong") + "\r\n"))
                .isEqualTo("535 5.7.8 Authentication credentials invalid\r\n");
        assertThat(secure("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n"))
                .endsWith(
                        "554 5.7.1 Relay access denied: authenticate (AUTH after STARTTLS) or connect from an allowed network\r\n");
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "auth_failed"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 4954 §4: an unknown user is 535 5.7.8")
    void authUnknownUser() {
        startTls();
        secure("EHLO c.example.org\r\n");
        assertThat(secure("AUTH PLAIN " + b64("\0mallory\0s3cret") + "\r\n")).startsWith("535 5.7.8 ");
    }

    @Test
    @DisplayName("RFC 4954 §4: \"*\" cancels the exchange with 501 5.0.0")
    void authCancel() {
        startTls();
        secure("EHLO c.example.org\r\n");
        secure("AUTH LOGIN\r\n");
        assertThat(secure("*\r\n")).isEqualTo("501 5.0.0 Authentication cancelled\r\n");
    }

    @Test
    @DisplayName("RFC 4954 §4: AUTH after a successful AUTH is 503 5.5.1")
    void authTwice() {
        startTls();
        secure("EHLO c.example.org\r\n");
        secure("AUTH PLAIN " + b64("\0alice\0s3cret") + "\r\n");
        assertThat(secure("AUTH PLAIN " + b64("\0alice\0s3cret") + "\r\n")).startsWith("503 5.5.1 ");
    }

    @Test
    @DisplayName("James hardening: STARTTLS after AUTH is 503 5.5.1")
    void startTlsAfterAuthIsRefused() {
        startTls();
        secure("EHLO c.example.org\r\n");
        secure("AUTH PLAIN " + b64("\0alice\0s3cret") + "\r\n");
        assertThat(secure("STARTTLS\r\n")).startsWith("503 5.5.1 ");
    }

    @Test
    @DisplayName("RFC 8689 §2: REQUIRETLS is accepted after STARTTLS and kept in the envelope")
    void requireTls() {
        startTls();
        secure("EHLO c.example.org\r\nAUTH PLAIN " + b64("\0alice\0s3cret") + "\r\n");
        secure("MAIL FROM:<a@example.org> REQUIRETLS\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        assertThat(secure("x\r\n.\r\n")).startsWith("250 2.0.0 Ok: queued as ");
        var env = harness.spool.commits.get(0).envelope();
        assertThat(env.params().requireTls()).isTrue();
        assertThat(env.client().tlsProtocol()).contains("TLSv1.3");
        assertThat(env.client().authUser()).contains("alice");
        assertThat(harness.spool.commits.get(0).content())
                .contains("with ESMTPSA id")
                .contains("(using TLSv1.3 with cipher ");
    }

    private void startTls() {
        tlsClient = TlsClient.start(client, clientTls);
    }

    private String secure(String text) {
        return tlsClient.send(text);
    }

    private static String b64(String text) {
        return TlsClient.b64(text);
    }
}
