package org.stsrelay.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** The header section of a message (RFC 5322 §2.1): everything before the first empty line. */
public final class HeaderSection {

    private static final Pattern FOLD = Pattern.compile("\r\n(?=[ \t])");
    private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");

    private HeaderSection() {}

    /**
     * Reads the header section, including the line ending of its last field but not the empty line,
     * reading at most {@code limit} octets.
     */
    public static byte[] read(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        byte[] buffer = new byte[8192];
        int lineStart = 0;
        int total = 0;
        byte previous = 0;
        int n;
        while (total < limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit - total))) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                total++;
                if (b == '\n') {
                    int lineLength = total - lineStart;
                    if (lineLength == 1 || (lineLength == 2 && previous == '\r')) {
                        return Arrays.copyOf(out.toByteArray(), lineStart);
                    }
                    lineStart = total;
                }
                out.write(b);
                previous = b;
            }
        }
        return out.toByteArray();
    }

    /** The fields of a header section with folding undone (RFC 5322 §2.2.3). */
    public static List<String> unfoldedFields(String headerSection) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : LINE_BREAK.split(headerSection)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line);
            } else {
                if (current != null) {
                    fields.add(current.toString());
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null && current.length() > 0) {
            fields.add(current.toString());
        }
        return fields;
    }

    /** One field with folding undone (RFC 5322 §2.2.3): each CRLF that precedes white space is removed. */
    public static String unfold(String field) {
        return FOLD.matcher(field).replaceAll("");
    }
}
