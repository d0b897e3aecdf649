package org.stsrelay.world;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The output of {@code queue show}, split where the contract says the relay changed it: one
 * {@code Received:} header field prepended (possibly folded) and, after it, the received bytes.
 *
 * @param received the relay's Received: field, CRLFs and folding included
 * @param original every byte after that field: what the client sent, dot-unstuffed
 */
public record SpooledMessage(String received, byte[] original) {

    /** Splits {@code content}; throws AssertionError if it does not begin with a Received: field. */
    public static SpooledMessage parse(byte[] content) {
        if (!startsWithIgnoreCase(content, "Received:")) {
            throw new AssertionError("spooled content does not begin with a Received: field: " + preview(content));
        }
        int end = endOfLine(content, 0);
        // RFC 5322 §2.2.3: a folded field continues on lines that begin with SP or HTAB.
        while (end < content.length && (content[end] == ' ' || content[end] == '\t')) {
            end = endOfLine(content, end);
        }
        return new SpooledMessage(
                new String(content, 0, end, StandardCharsets.UTF_8), Arrays.copyOfRange(content, end, content.length));
    }

    /** The index just after the CRLF that ends the line starting at {@code from}. */
    private static int endOfLine(byte[] content, int from) {
        for (int i = from; i + 1 < content.length; i++) {
            if (content[i] == '\r' && content[i + 1] == '\n') {
                return i + 2;
            }
            if (content[i] == '\n') {
                throw new AssertionError("bare LF in the spooled Received: field: " + preview(content));
            }
        }
        throw new AssertionError("spooled content ends inside its Received: field: " + preview(content));
    }

    private static boolean startsWithIgnoreCase(byte[] content, String prefix) {
        return content.length >= prefix.length()
                && new String(content, 0, prefix.length(), StandardCharsets.US_ASCII).equalsIgnoreCase(prefix);
    }

    private static String preview(byte[] content) {
        return new String(content, 0, Math.min(300, content.length), StandardCharsets.UTF_8);
    }
}
