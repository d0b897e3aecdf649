package org.stsrelay.inbound;

import java.util.regex.Pattern;

/** RFC 5321 §4.1.2 Mailbox syntax, with RFC 6531 §3.3 UTF-8 in local part and domain when allowed. */
final class Mailbox {

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("(?i)IPv6:[0-9a-f:.]{2,45}");

    private Mailbox() {}

    /** Whether {@code mailbox} (no angle brackets) is {@code Local-part "@" (Domain / address-literal)}. */
    static boolean isValid(String mailbox, boolean utf8) {
        int at = mailbox.lastIndexOf('@');
        if (at <= 0 || at == mailbox.length() - 1) {
            return false;
        }
        return isLocalPart(mailbox.substring(0, at), utf8) && isDomainOrLiteral(mailbox.substring(at + 1), utf8);
    }

    /** Whether the text is plain ASCII (else SMTPUTF8 is needed, RFC 6531 §3.4). */
    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code domain} is a Domain per RFC 5321 §4.1.2 (U-labels allowed when {@code utf8}). */
    static boolean isDomain(String domain, boolean utf8) {
        if (domain.isEmpty() || domain.length() > 255) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            if (!allOf(label, "-", utf8)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} is an address literal such as {@code [192.0.2.1]} or {@code [IPv6:::1]}. */
    static boolean isAddressLiteral(String text) {
        if (text.length() < 3 || text.charAt(0) != '[' || text.charAt(text.length() - 1) != ']') {
            return false;
        }
        String inner = text.substring(1, text.length() - 1);
        return IPV4.matcher(inner).matches() || IPV6.matcher(inner).matches();
    }

    private static boolean isDomainOrLiteral(String text, boolean utf8) {
        return text.startsWith("[") ? isAddressLiteral(text) : isDomain(text, utf8);
    }

    private static boolean isLocalPart(String local, boolean utf8) {
        if (local.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64) {
            return false;
        }
        return local.startsWith("\"") ? isQuotedString(local, utf8) : isDotString(local, utf8);
    }

    private static boolean isDotString(String local, boolean utf8) {
        for (String atom : local.split("\\.", -1)) {
            if (atom.isEmpty() || !allOf(atom, ATEXT_SPECIALS, utf8)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isQuotedString(String local, boolean utf8) {
        if (local.length() < 2 || !local.endsWith("\"")) {
            return false;
        }
        for (int i = 1; i < local.length() - 1; i++) {
            char c = local.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= local.length() - 1 || local.charAt(i) < 32 || local.charAt(i) > 126) {
                    return false;
                }
            } else if (c == '"' || c < 32 || (c > 126 && !(utf8 && c >= 0x80))) {
                return false;
            }
        }
        return true;
    }

    /** Whether every character of {@code text} is a letter, a digit, one of {@code specials}, or (utf8) non-ASCII. */
    private static boolean allOf(String text, String specials, boolean utf8) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isLetDig(c) && specials.indexOf(c) < 0 && !(utf8 && c >= 0x80)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetDig(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
