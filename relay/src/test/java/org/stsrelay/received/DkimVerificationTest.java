package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimVerificationTest {

    @TempDir
    Path dir;

    private SignedMail mail;
    private String message;

    @BeforeEach
    void signingDomain() throws Exception {
        mail = new SignedMail(dir);
        message = Reports.message(
                "google.com", "application/tlsrpt+gzip", "report.json.gz", Reports.gzip(Reports.GOOGLE_STYLE));
    }

    @Test
    @DisplayName("RFC 8460 §3, RFC 6376 §6: a report signed with the published key passes")
    void signedWithThePublishedKeyPasses() {
        DkimCheck check = new DkimVerification(mail.keys()).check(bytes(mail.sign(message)));

        assertThat(check).isEqualTo(new DkimCheck(DkimCheck.Status.PASS, "d=google.com s=tlsrpt"));
    }

    @Test
    @DisplayName("RFC 8460 §3: a key record with s=tlsrpt (the service type RFC 8460 asks for) verifies the report")
    void aTlsrptServiceKeyPasses() {
        DkimKeys tlsrptOnly = (selector, domain) -> {
            DkimKeys.Lookup found = mail.keys().lookup(selector, domain);
            return found instanceof DkimKeys.Lookup.Found record
                    ? new DkimKeys.Lookup.Found(
                            java.util.List.of(record.records().get(0).replace("k=rsa;", "k=rsa; s=tlsrpt;")))
                    : found;
        };

        DkimCheck check = new DkimVerification(tlsrptOnly).check(bytes(mail.sign(message)));

        assertThat(check).isEqualTo(new DkimCheck(DkimCheck.Status.PASS, "d=google.com s=tlsrpt"));
    }

    @Test
    @DisplayName("RFC 6376 §6.1.3: a body changed after signing fails")
    void aTamperedBodyFails() {
        String tampered = mail.sign(message).replace("aggregate TLS report", "aggregate TLS rapport");

        DkimCheck check = new DkimVerification(mail.keys()).check(bytes(tampered));

        assertThat(check.status()).isEqualTo(DkimCheck.Status.FAIL);
        assertThat(check.detail()).startsWith("d=google.com s=tlsrpt: ");
    }

    @Test
    @DisplayName("RFC 8460 §3: an unsigned report is NONE")
    void anUnsignedMessageIsNone() {
        DkimCheck check = new DkimVerification(mail.keys()).check(bytes(message));

        assertThat(check).isEqualTo(new DkimCheck(DkimCheck.Status.NONE, "no DKIM-Signature"));
    }

    @Test
    @DisplayName("RFC 6376 §6.1.2: a key that cannot be fetched leaves the signature UNKNOWN")
    void aMissingKeyIsUnknown() {
        DkimKeys none = (selector, domain) -> new DkimKeys.Lookup.Unavailable("DNS lookup failed: SERVFAIL");

        DkimCheck check = new DkimVerification(none).check(bytes(mail.sign(message)));

        assertThat(check)
                .isEqualTo(new DkimCheck(DkimCheck.Status.UNKNOWN, "key unavailable: DNS lookup failed: SERVFAIL"));
    }

    private static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.ISO_8859_1);
    }
}
