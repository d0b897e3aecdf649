package org.stsrelay.e2e;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message of CrashRecoveryIT: unique by its X-Test-Seq header and recipient, with the SHA-256
 * of its body in X-Body-SHA256 so that spooled content can be checked on its own as well as
 * against the original.
 *
 * @param seq the message's number
 * @param content header, empty line and body, CRLF line ends
 */
record CrashMessage(int seq, byte[] content) {

    static final String SENDER = "crash@example.test";
    private static final Pattern SEQ = Pattern.compile("(?m)^X-Test-Seq: (\\d+)(?=\r\n)");
    private static final Pattern CHECKSUM = Pattern.compile("(?m)^X-Body-SHA256: ([0-9a-f]{64})(?=\r\n)");
    private static final String SEPARATOR = "\r\n\r\n";

    /** The message number {@code seq}; seeded, so the same number always yields the same bytes. */
    static CrashMessage of(int seq) {
        Random random = new Random(seq);
        StringBuilder body = new StringBuilder();
        int lines = 10 + random.nextInt(40);
        for (int i = 0; i < lines; i++) {
            // every seventh line starts with a dot, so dot-stuffing is exercised on every message
            body.append(i % 7 == 3 ? "." : "")
                    .append("line ")
                    .append(i)
                    .append(" of ")
                    .append(seq)
                    .append(' ');
            body.append(Long.toHexString(random.nextLong()))
                    .append(Long.toHexString(random.nextLong()))
                    .append("\r\n");
        }
        byte[] bodyBytes = body.toString().getBytes(StandardCharsets.US_ASCII);
        String header = "From: <" + SENDER + ">\r\n"
                + "To: <" + recipient(seq) + ">\r\n"
                + "Subject: crash recovery " + seq + "\r\n"
                + "Message-ID: <crash-" + seq + "@e2e.test>\r\n"
                + "X-Test-Seq: " + seq + "\r\n"
                + "X-Body-SHA256: " + sha256(bodyBytes) + "\r\n";
        byte[] headerBytes = (header + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] content = new byte[headerBytes.length + bodyBytes.length];
        System.arraycopy(headerBytes, 0, content, 0, headerBytes.length);
        System.arraycopy(bodyBytes, 0, content, headerBytes.length, bodyBytes.length);
        return new CrashMessage(seq, content);
    }

    /** The one envelope recipient of message {@code seq}. */
    static String recipient(int seq) {
        return "rcpt-" + seq + "@example.test";
    }

    /**
     * What spooled content says about itself: its X-Test-Seq, and whether its body matches its
     * X-Body-SHA256. Returns null for seq when the header is missing.
     */
    record SelfCheck(Integer seq, boolean checksumMatches) {

        static SelfCheck of(byte[] content) {
            String text = new String(content, StandardCharsets.ISO_8859_1);
            int separator = text.indexOf(SEPARATOR);
            String header = separator < 0 ? text : text.substring(0, separator + 2);
            Matcher seq = SEQ.matcher(header);
            Matcher checksum = CHECKSUM.matcher(header);
            boolean matches = separator >= 0
                    && checksum.find()
                    && checksum.group(1)
                            .equals(sha256(text.substring(separator + SEPARATOR.length())
                                    .getBytes(StandardCharsets.ISO_8859_1)));
            return new SelfCheck(seq.find() ? Integer.valueOf(seq.group(1)) : null, matches);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
