package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportMailBuilderTest {

    private final String mail = new String(ReportMailFixtures.message(), StandardCharsets.UTF_8);

    private String headers() {
        return mail.substring(0, mail.indexOf("\r\n\r\n") + 2);
    }

    @Test
    @DisplayName("RFC 8460 §5.3: TLS-Report-Domain and TLS-Report-Submitter as A-labels, Subject in the §5.3 form")
    void reportHeaders() {
        assertThat(headers())
                .contains("From: tlsrpt-noreply@example.net\r\n")
                .contains("To: tlsrpt@xn--bcher-kva.example\r\n")
                .contains("Subject: Report Domain: xn--bcher-kva.example Submitter: example.net"
                        + " Report-ID: <20240301.xn--bcher-kva.example@example.net>\r\n")
                .contains("TLS-Report-Domain: xn--bcher-kva.example\r\n")
                .contains("TLS-Report-Submitter: example.net\r\n")
                .contains("Message-ID: <fixed-1@example.net>\r\n")
                .contains("Date: Sat, 2 Mar 2024 01:15:00 +0000\r\n")
                .contains("MIME-Version: 1.0\r\n")
                .contains("Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n\tboundary=");
    }

    @Test
    @DisplayName("RFC 8460 §5.3.1: TLS-Required: No and Auto-Submitted: auto-generated")
    void deliveredDespiteTlsFailures() {
        assertThat(headers()).contains("TLS-Required: No\r\n").contains("Auto-Submitted: auto-generated\r\n");
    }

    @Test
    @DisplayName("RFC 5322 §2.1: CRLF line ends only, no line over 998 characters")
    void lineEnds() {
        assertThat(mail.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        for (String line : mail.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.1/§5.2: gzipped JSON as application/tlsrpt+gzip with the §5.1 filename")
    void attachment() throws IOException {
        int part = mail.indexOf("Content-Type: application/tlsrpt+gzip\r\n");
        assertThat(part).isPositive();
        String partText = mail.substring(part);
        // 2024-03-01T00:00:00Z = 1709251200, 23:59:59Z = 1709337599
        assertThat(partText)
                .contains("Content-Disposition: attachment;\r\n\tfilename="
                        + "\"example.net!xn--bcher-kva.example!1709251200!1709337599.json.gz\"\r\n");
        String body = partText.substring(partText.indexOf("\r\n\r\n") + 4, partText.indexOf("\r\n--"));
        byte[] gzip = Base64.getMimeDecoder().decode(body);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            assertThat(in.readAllBytes()).isEqualTo(ReportMailFixtures.JSON);
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.3: part 1 is a human-readable text/plain summary naming domain, day and sender")
    void summaryPart() {
        int first = mail.indexOf("Content-Type: text/plain");
        int second = mail.indexOf("Content-Type: application/tlsrpt+gzip");
        assertThat(first).isPositive().isLessThan(second);
        assertThat(mail.substring(first, second))
                .contains("xn--bcher-kva.example")
                .contains("2024-03-01")
                .contains("Example Relay")
                .contains("example.net");
    }

    @Test
    @DisplayName("RFC 2046 §5.1.1: the multipart ends with the close delimiter")
    void closeDelimiter() {
        String boundaryParam = "boundary=\"";
        int at = mail.indexOf(boundaryParam) + boundaryParam.length();
        String boundary = mail.substring(at, mail.indexOf('"', at));
        assertThat(mail).endsWith("\r\n--" + boundary + "--\r\n");
        assertThat(mail.split("\r\n--" + boundary + "\r\n", -1)).hasSize(3);
    }

    @Test
    @DisplayName("RFC 5322 §2.2: a value with a line break is refused, not injected as a header")
    void headerInjection() {
        ReportMailBuilder builder =
                new ReportMailBuilder(ReportMailFixtures.identity(), ReportMailFixtures.CLOCK, () -> "x@example.net");
        assertThatThrownBy(() -> builder.build(ReportMailFixtures.report(), "a@b.example\r\nBcc: c@d.example"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
