package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stsrelay.config.InboundConfig.TlsFiles;
import org.stsrelay.spool.Envelope;

class ArgumentsAndCredentialsTest {

    private static final MailFrom.Offer PLAIN = new MailFrom.Offer(1000, false, false);

    @TempDir
    Path dir;

    @Test
    @DisplayName("RFC 3461 §4.3-4.4: RET and ENVID are kept in the MAIL parameters")
    void dsnMailParameters() {
        MailFrom mail = MailFrom.parse("FROM:<a@example.org> RET=HDRS ENVID=abc+2Bdef SIZE=10", PLAIN);
        assertThat(mail.params().ret()).contains(Envelope.Ret.HDRS);
        assertThat(mail.params().envid()).contains("abc+2Bdef");
        assertThat(mail.params().declaredSize()).isEqualTo(10);
    }

    @Test
    @DisplayName("RFC 3461 §4.1-4.2: NOTIFY and ORCPT are kept with the recipient")
    void dsnRcptParameters() {
        Envelope.Recipient r =
                RcptTo.parse("TO:<b@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.com", false);
        assertThat(r.notifyOn()).isEqualTo(Set.of(Envelope.Notify.SUCCESS, Envelope.Notify.FAILURE));
        assertThat(r.orcpt()).contains("rfc822;b@example.com");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "FROM:<a@example.org> FOO=1|555 5.5.4",
                "FROM:<a@example.org> BODY=9BIT|501 5.5.4",
                "FROM:<a@example.org> SIZE=1001|552 5.3.4",
                "FROM:<a@example.org> RET=ALL|501 5.5.4",
                "FROM:<a@example.org> SMTPUTF8 SMTPUTF8|501 5.5.4",
                "FROM:<j\u00f6rg@example.org>|553 5.6.7",
                "FROM:a@example.org|501 5.1.7",
                "TO:<a@example.org>|501 5.5.4"
            })
    @DisplayName("RFC 5321 §4.1.1.2, RFC 1870, RFC 6531 §3.4: malformed MAIL arguments get their code")
    void mailRejections(String argument, String expected) {
        assertThatThrownBy(() -> MailFrom.parse(argument, PLAIN))
                .isInstanceOfSatisfying(
                        RejectException.class,
                        e -> assertThat(e.reply().toString()).startsWith(expected));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "TO:<b@example.com> NOTIFY=NEVER,SUCCESS|501 5.5.4",
                "TO:<b@example.com> ORCPT=b@example.com|501 5.5.4",
                "TO:<b@example.com> XFOO|555 5.5.4",
                "TO:<>|501 5.1.3"
            })
    @DisplayName("RFC 3461 §4.1-4.2: malformed RCPT arguments get their code")
    void rcptRejections(String argument, String expected) {
        assertThatThrownBy(() -> RcptTo.parse(argument, false))
                .isInstanceOfSatisfying(
                        RejectException.class,
                        e -> assertThat(e.reply().toString()).startsWith(expected));
    }

    @Test
    @DisplayName("RFC 6531 §3.3: UTF-8 addresses are accepted with SMTPUTF8")
    void utf8Address() {
        MailFrom mail = MailFrom.parse("FROM:<j\u00f6rg@b\u00fccher.example> SMTPUTF8", PLAIN);
        assertThat(mail.sender()).isEqualTo("j\u00f6rg@b\u00fccher.example");
        assertThat(RcptTo.parse("TO:<\u7528\u6237@\u4f8b\u5b50.example>", true).address())
                .isEqualTo("\u7528\u6237@\u4f8b\u5b50.example");
    }

    @Test
    @DisplayName("PasswordHasher: $pbkdf2-sha256$i=210000$salt$hash verifies the right password only")
    void passwordHasher() {
        PasswordHasher hasher = new PasswordHasher();
        String stored = hasher.hash("correct horse".toCharArray());
        assertThat(stored).startsWith("$pbkdf2-sha256$i=210000$");
        assertThat(hasher.verify("correct horse".toCharArray(), stored)).isTrue();
        assertThat(hasher.verify("wrong".toCharArray(), stored)).isFalse();
        assertThat(hasher.hash("correct horse".toCharArray())).isNotEqualTo(stored);
    }

    @Test
    @DisplayName("UsersFile: a malformed line is an error naming the file and line")
    void usersFileMalformed() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "# comment\n\nalice-without-hash\n");
        assertThatThrownBy(() -> UsersFile.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ":3: ");
    }

    @Test
    @DisplayName("UsersFile: users authenticate with their password only")
    void usersFileAuthenticates() throws Exception {
        String hash = new PasswordHasher(1000, new SecureRandom()).hash("pw".toCharArray());
        UsersFile users = UsersFile.load(Files.writeString(dir.resolve("users"), "bob:" + hash + "\n"));
        assertThat(users.authenticate("bob", "pw".toCharArray())).isTrue();
        assertThat(users.authenticate("bob", "nope".toCharArray())).isFalse();
        assertThat(users.authenticate("eve", "pw".toCharArray())).isFalse();
    }

    @Test
    @DisplayName("InboundTls: an unreadable certificate file is named in the error")
    void tlsMissingFile() {
        TlsFiles files = new TlsFiles(dir.resolve("missing.pem"), dir.resolve("key.pem"));
        assertThatThrownBy(() -> InboundTls.serverContext(files)).hasMessageContaining("missing.pem");
    }

    @Test
    @DisplayName("InboundTls: PKCS#1 RSA keys and PKCS#8 RSA/EC keys load")
    void tlsKeyFormats() throws Exception {
        TestCertificate rsa = TestCertificate.mint("RSA");
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        assertThat(InboundTls.serverContext(rsa.write(dir.resolve("a"), true)).isServer())
                .isTrue();
        assertThat(InboundTls.serverContext(TestCertificate.mint("EC").write(dir.resolve("b"), false))
                        .isServer())
                .isTrue();
        assertThat(Optional.of(InboundTls.serverContext(rsa.write(dir.resolve("a"), false))))
                .isPresent();
    }
}
