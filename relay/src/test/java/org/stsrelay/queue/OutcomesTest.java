package org.stsrelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutcomesTest {

    @ParameterizedTest(name = "{0} → {1}")
    @DisplayName("RFC 3463 §3.1: a deferral that outlives the queue becomes the permanent status of the same detail")
    @CsvSource({"4.7.5, 5.7.5", "4.7.30, 5.7.30", "4.4.1, 5.4.1", "5.1.1, 5.1.1", "2.0.0, 5.0.0"})
    void permanentFormKeepsSubjectAndDetail(String temporary, String permanent) {
        assertThat(Outcomes.permanent(temporary)).isEqualTo(permanent);
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("the header section ends at the first empty line, CRLF or bare LF")
    @CsvSource(
            delimiter = '|',
            value = {
                "Subject: a\\r\\nTLS-Required: No\\r\\n\\r\\nbody | true",
                "Subject: a\\nTLS-Required: no\\n\\nbody | true",
                "Subject: a\\r\\n\\r\\nTLS-Required: No\\r\\n | false",
                "X-Tls-Required: No\\r\\n\\r\\n | false"
            })
    void tlsRequiredNoIsFoundOnlyInTheHeaderSection(String message, boolean optional) throws Exception {
        String text = message.replace("\\r", "\r").replace("\\n", "\n");
        MessageTraits traits = MessageTraits.scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(traits.tlsOptional()).isEqualTo(optional);
        assertThat(traits.reportable()).isTrue();
    }
}
