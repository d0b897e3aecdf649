package org.stsrelay.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportInboxTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("RFC 8460 §5.3: each report mail is logged by its Subject, which names domain and report id")
    void logsEachReportBySubject() throws Exception {
        ReportInbox inbox = new ReportInbox(dir.resolve("reports.log"));
        String mail = "From: tlsrpt-noreply@relay.test\r\nSubject: Report Domain: bench.test\r\n Submitter: relay.test"
                + " Report-ID: <20261204.bench.test@relay.test>\r\n\r\nbody\r\n";
        inbox.accept(message(mail, 1_000));
        inbox.accept(message("From: x\r\n\r\nSubject: in the body\r\n", 2_000));
        assertThat(inbox.received()).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("reports.log"), StandardCharsets.UTF_8))
                .containsExactly(
                        "1000\tReport Domain: bench.test Submitter: relay.test Report-ID: <20261204.bench.test@relay.test>",
                        "2000\t(no subject)");
    }

    private static ReceivedMessage message(String content, long at) {
        return new ReceivedMessage(
                "mx.reports.test",
                "127.0.0.22",
                "",
                List.of("tlsrpt@reports.test"),
                content.getBytes(StandardCharsets.US_ASCII),
                Optional.of("TLSv1.3"),
                Optional.empty(),
                1,
                Instant.ofEpochMilli(at));
    }
}
