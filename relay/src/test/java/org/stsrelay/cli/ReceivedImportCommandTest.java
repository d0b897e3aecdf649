package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReceivedImportCommandTest {

    private static final String REPORT = """
            {"organization-name":"Google Inc.",
             "date-range":{"start-datetime":"2024-11-08T00:00:00Z","end-datetime":"2024-11-08T23:59:59Z"},
             "contact-info":"smtp-tls-reporting@google.com",
             "report-id":"2024-11-08T00:00:00Z_example.com",
             "policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com",
                 "policy-string":["version: STSv1","mode: testing","mx: mx1.example.com","max_age: 604800"],
                 "mx-host":["mx1.example.com"]},
               "summary":{"total-successful-session-count":1234,"total-failure-session-count":0}}]}
            """;

    @TempDir
    Path dir;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void configuration() throws Exception {
        config = Files.writeString(
                dir.resolve("relay.yaml"), "received:\n  directory: " + dir.resolve("received") + "\n");
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    @DisplayName("received import: a directory of reports is stored, a second import says duplicate, exit 0")
    void importsADirectoryThenFindsDuplicates() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("in"));
        Files.writeString(reports.resolve("a.json"), REPORT);
        Files.write(reports.resolve("b.json.gz"), gzip(REPORT.replace("_example.com", "_example.org")));

        int first = run("received", "import", "--config", config.toString(), reports.toString());
        int second = run("received", "import", "--config", config.toString(), reports.toString());

        assertThat(first).isZero();
        assertThat(second).isZero();
        assertThat(out.toString().lines())
                .containsExactly(
                        reports.resolve("a.json") + ": stored",
                        reports.resolve("b.json.gz") + ": stored",
                        "2 stored, 0 duplicate, 0 refused",
                        reports.resolve("a.json") + ": duplicate",
                        reports.resolve("b.json.gz") + ": duplicate",
                        "0 stored, 2 duplicate, 0 refused");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    @DisplayName("received import: an mbox with a broken message stores the others and exits 1, without a stack trace")
    void anMboxWithABrokenMessageExitsOne() throws Exception {
        Path mbox = Files.writeString(
                dir.resolve("reports.mbox"),
                entry(message("application/tlsrpt+json", REPORT))
                        + entry(message("application/tlsrpt+json", "[\"not a report\"]"))
                        + entry(message("application/tlsrpt+json", REPORT.replace("_example.com", "_example.net"))));

        int exit = run("received", "import", "--config", config.toString(), mbox.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString().lines())
                .containsExactly(
                        mbox + " message 1: stored",
                        mbox + " message 2: refused: malformed: the report is a JSON array, not an object"
                                + " (RFC 8460 §4.4)",
                        mbox + " message 3: stored",
                        "2 stored, 0 duplicate, 1 refused");
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static String message(String type, String body) {
        return "From: tls-reporting@google.com\n"
                + "Subject: Report Domain: example.com\n"
                + "TLS-Report-Submitter: google.com\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b\"\n"
                + "\n"
                + "--b\n"
                + "Content-Type: " + type + "\n"
                + "\n"
                + body + "\n"
                + "--b--\n";
    }

    private static String entry(String message) {
        return "From tls-reporting@google.com Fri Nov  8 06:00:00 2024\n" + message + "\n";
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
