package org.stsrelay.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderSectionTest {

    @ParameterizedTest(name = "RFC 5322 §2.2.3: \"{0}\" unfolds to \"{1}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "'Subject: a\\r\\n b'        | 'Subject: a b'",
                "'Subject: a\\r\\n\\tb'      | 'Subject: a\\tb'",
                "'Subject: a\\r\\n \\r\\n c' | 'Subject: a  c'",
                "'Subject: plain'            | 'Subject: plain'",
            })
    void rfc5322Section2_2_3UnfoldingRemovesTheCrlfBeforeWhiteSpace(String folded, String unfolded) {
        assertThat(HeaderSection.unfold(unescape(folded))).isEqualTo(unescape(unfolded));
    }

    @Test
    void rfc5322Section2_2_3FieldsAreUnfoldedAndSplit() {
        List<String> fields = HeaderSection.unfoldedFields("A: 1\r\nB: 2\r\n\t3\r\nC: 4\r\n");

        assertThat(fields).containsExactly("A: 1", "B: 2\t3", "C: 4");
    }

    @Test
    void rfc5322Section2_1TheHeaderSectionEndsBeforeTheFirstEmptyLine() throws Exception {
        byte[] message = "A: 1\r\nB: 2\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

        byte[] header = HeaderSection.read(new ByteArrayInputStream(message), 1000);

        assertThat(new String(header, StandardCharsets.US_ASCII)).isEqualTo("A: 1\r\nB: 2\r\n");
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
