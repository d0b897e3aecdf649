package org.stsrelay.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The messages PostfixClientIT sends: sizes spread geometrically from 1 KiB to 5 MiB, some bodies
 * 8-bit (Content-Transfer-Encoding: 8bit), some with UTF-8 addresses that need SMTPUTF8
 * (RFC 6531), some with two recipients, and lines that need dot-stuffing. Seeded, so every run
 * sends the same bytes.
 */
final class PostfixCorpus {

    private static final int MIN_SIZE = 1024;
    private static final int MAX_SIZE = 5 * 1024 * 1024;
    private static final String DATE = "Sat, 22 Nov 2025 10:00:00 +0000";
    private static final String ASCII_WORDS = "lorem ipsum dolor sit amet relay spool fsync postfix queue";
    private static final String UTF8_WORDS = "grüße çava naïve żółć ĳssel 東京 Ωμέγα emoji-😀 fin";
    /** Lines that SMTP transparency (RFC 5321 §4.5.2) and mbox-minded software are tempted to change. */
    private static final List<String> TRICKY_LINES =
            List.of(".", "..", ".leading dot", "From the start of a line", "trailing space ", "\ttab");

    private PostfixCorpus() {}

    /** {@code count} messages; the same count always yields the same messages. */
    static List<CorpusMessage> messages(int count) {
        List<CorpusMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // a stride coprime to count visits every size once, so sizes are mixed rather than sorted
            int sizeRank = (int) ((i * 73L) % count);
            double fraction = count == 1 ? 0 : sizeRank / (double) (count - 1);
            int size = (int) Math.round(MIN_SIZE * Math.pow(MAX_SIZE / (double) MIN_SIZE, fraction));
            messages.add(message(i, size));
        }
        return messages;
    }

    private static CorpusMessage message(int index, int size) {
        boolean utf8Addresses = index % 10 == 3;
        boolean eightBit = utf8Addresses || index % 5 == 1;
        String sender = utf8Addresses ? "josé@exámple.test" : "sender@example.test";
        List<String> recipients = utf8Addresses
                ? List.of("dörte@exämple.test")
                : index % 20 == 7 ? List.of("rcpt-a@example.test", "rcpt-b@example.org") : List.of("rcpt@example.test");
        String messageId = "corpus-" + index + "@e2e.test";
        String header = "From: " + (utf8Addresses ? "José Müller" : "Sender") + " <" + sender + ">\r\n"
                + "To: " + String.join(", ", recipients) + "\r\n"
                + "Subject: corpus message " + index + (eightBit ? " — 8bit" : "") + "\r\n"
                + "Date: " + DATE + "\r\n"
                + "Message-ID: <" + messageId + ">\r\n"
                + "X-Corpus-Index: " + index + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=" + (eightBit ? "utf-8" : "us-ascii") + "\r\n"
                + "Content-Transfer-Encoding: " + (eightBit ? "8bit" : "7bit") + "\r\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        return new CorpusMessage(
                messageId,
                sender,
                recipients,
                headerBytes,
                body(new Random(index), Math.max(64, size - headerBytes.length - 2), eightBit));
    }

    /** Text lines of up to 76 characters (well under Postfix's 998-octet line limit) until {@code size} octets. */
    private static byte[] body(Random random, int size, boolean eightBit) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(size + 100);
        String[] vocabulary = (eightBit ? UTF8_WORDS : ASCII_WORDS).split(" ");
        while (body.size() < size) {
            String line;
            if (random.nextInt(25) == 0) {
                line = TRICKY_LINES.get(random.nextInt(TRICKY_LINES.size()));
            } else {
                StringBuilder words = new StringBuilder();
                while (words.length() < 40 + random.nextInt(36)) {
                    words.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
                }
                line = words.toString().strip();
            }
            body.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return body.toByteArray();
    }
}
