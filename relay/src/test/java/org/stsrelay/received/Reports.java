package org.stsrelay.received;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** Report texts and messages the received-report tests share. */
final class Reports {

    private static String resource(String name) {
        try (var in = Reports.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * RFC 8460 Appendix B, with the one line break the RFC's layout put inside a string value (which no JSON parser
     * accepts) joined again.
     */
    static final String APPENDIX_B = resource("/org/stsrelay/rfc8460-appendix-b.json");

    /** The shape Google sends. */
    static final String GOOGLE_STYLE = """
            {"organization-name":"Google Inc.",
             "date-range":{"start-datetime":"2024-11-08T00:00:00Z","end-datetime":"2024-11-08T23:59:59Z"},
             "contact-info":"smtp-tls-reporting@google.com",
             "report-id":"2024-11-08T00:00:00Z_example.com",
             "policies":[{"policy":{"policy-type":"sts",
                 "policy-string":["version: STSv1","mode: enforce","mx: mx1.example.com","max_age: 604800"],
                 "policy-domain":"example.com","mx-host":["mx1.example.com"]},
               "summary":{"total-successful-session-count":1234,"total-failure-session-count":2},
               "failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"209.85.220.41",
                 "receiving-mx-hostname":"mx1.example.com","receiving-ip":"192.0.2.25","failed-session-count":2}]}]}
            """;

    /** The shape Microsoft sends for a policy it could not fetch: no policy-string, no mx-host. */
    static final String MICROSOFT_STYLE = """
            {"organization-name":"Microsoft Corporation",
             "date-range":{"start-datetime":"2024-11-08T00:00:00Z","end-datetime":"2024-11-08T23:59:59Z"},
             "contact-info":"tlsrpt-noreply@microsoft.com",
             "report-id":"133755840000000000+example.org",
             "policies":[{"policy":{"policy-type":"no-policy-found","policy-domain":"example.org"},
               "summary":{"total-successful-session-count":10,"total-failure-session-count":1},
               "failure-details":[{"result-type":"sts-policy-fetch-error","failed-session-count":1}]}]}
            """;

    private Reports() {}

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(utf8(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A report with {@code reportId}, for tests that need many distinct reports. */
    static String withId(String reportId) {
        return GOOGLE_STYLE.replace("2024-11-08T00:00:00Z_example.com", reportId);
    }

    /**
     * An RFC 8460 §5.3 report message (CRLF line ends), the report as a base64 part of {@code partType} named
     * {@code fileName}.
     */
    static String message(String submitter, String partType, String fileName, byte[] report) {
        String encoded = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(report);
        return "From: tls-reporting@" + submitter + "\r\n"
                + "To: tlsrpt@example.com\r\n"
                + "Subject: Report Domain: example.com Submitter: " + submitter + " Report-ID: <x@" + submitter
                + ">\r\n"
                + "Date: Fri, 08 Nov 2024 06:00:00 +0000\r\n"
                + "Message-ID: <x@" + submitter + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "TLS-Report-Domain: example.com\r\n"
                + "TLS-Report-Submitter: " + submitter + "\r\n"
                + "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b1\"\r\n"
                + "\r\n"
                + "--b1\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "This is an aggregate TLS report from " + submitter + "\r\n"
                + "\r\n"
                + "--b1\r\n"
                + "Content-Type: " + partType + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n"
                + "\r\n"
                + encoded + "\r\n"
                + "--b1--\r\n";
    }
}
