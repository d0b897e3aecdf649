package org.stsrelay.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.stsrelay.config.TlsRptConfig;

/** Shared inputs for the report mail, DKIM and HTTPS report tests. */
final class ReportMailFixtures {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-02T01:15:00Z"), ZoneOffset.UTC);
    static final byte[] JSON =
            "{\"organization-name\":\"Example Relay\",\"report-id\":\"20240301.bücher.example@example.net\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private ReportMailFixtures() {}

    static TlsRptConfig identity() {
        return new TlsRptConfig(
                true,
                Path.of("/nonexistent"),
                "Example Relay",
                "tlsrpt@example.net",
                "tlsrpt-noreply@example.net",
                Optional.empty(),
                false,
                List.of(),
                Duration.ofHours(4),
                Duration.ofHours(24),
                10_000_000);
    }

    static ReportMailInput report() {
        return new ReportMailInput(
                "bücher.example", LocalDate.of(2024, 3, 1), "20240301.xn--bcher-kva.example@example.net", JSON);
    }

    static byte[] message() {
        return new ReportMailBuilder(identity(), CLOCK, () -> "fixed-1@example.net")
                .build(report(), "tlsrpt@xn--bcher-kva.example");
    }
}
