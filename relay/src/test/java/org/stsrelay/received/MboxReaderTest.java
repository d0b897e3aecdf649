package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MboxReaderTest {

    @Test
    @DisplayName("mboxrd: From_ lines split messages, one '>' is taken off escaped From lines, the separator dropped")
    void splitsAndUnescapes() throws Exception {
        String mbox = "From a@example Fri Nov  8 06:00:00 2024\n"
                + "Subject: one\n\n>From here\n>>From there\n\n"
                + "From b@example Fri Nov  8 06:00:00 2024\n"
                + "Subject: two\n\nbody\n";

        List<String> messages = read(mbox, 1_000);

        assertThat(messages).containsExactly("1:Subject: one\n\nFrom here\n>From there\n", "2:Subject: two\n\nbody\n");
    }

    @Test
    void aMessageOverTheCapIsReportedWithoutItsContentAndTheNextIsRead() throws Exception {
        String mbox = "From a@example Fri Nov  8 06:00:00 2024\n"
                + "Subject: big\n\n" + "x".repeat(5_000) + "\n\n"
                + "From b@example Fri Nov  8 06:00:00 2024\n"
                + "Subject: small\n\nbody\n";

        List<String> messages = read(mbox, 1_000);

        assertThat(messages).containsExactly("1:too large", "2:Subject: small\n\nbody\n");
    }

    @Test
    void recognisesAnMboxByItsFirstLine() {
        assertThat(MboxReader.looksLikeMbox("From a".getBytes(StandardCharsets.US_ASCII)))
                .isTrue();
        assertThat(MboxReader.looksLikeMbox("From: a".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
    }

    private static List<String> read(String mbox, long cap) throws Exception {
        List<String> messages = new ArrayList<>();
        new MboxReader(cap)
                .read(
                        new ByteArrayInputStream(mbox.getBytes(StandardCharsets.ISO_8859_1)),
                        (number, message) -> messages.add(number + ":"
                                + (message == null ? "too large" : new String(message, StandardCharsets.ISO_8859_1))));
        return messages;
    }
}
