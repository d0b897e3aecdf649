package org.stsrelay.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailDatesTest {

    @ParameterizedTest(name = "RFC 5322 §3.3: {0} is written as {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2024-03-02T01:15:00Z | Sat, 2 Mar 2024 01:15:00 +0000",
                "2026-12-31T23:59:59Z | Thu, 31 Dec 2026 23:59:59 +0000",
                "2024-10-01T10:00:00.999Z | Tue, 1 Oct 2024 10:00:00 +0000",
            })
    void rfc5322Section3_3DateTimeWithANumericZoneNeverGmt(String instant, String expected) {
        String written = MailDates.format(Instant.parse(instant));

        assertThat(written).isEqualTo(expected).doesNotContain("GMT");
    }
}
