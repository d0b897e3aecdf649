package org.stsrelay.mail;

/** The xtext encoding of ENVID and ORCPT values (RFC 3461 §4): "+" and two upper-case hex digits. */
public final class Xtext {

    private Xtext() {}

    /** Whether {@code value} is xtext; with {@code utf8}, non-ASCII is allowed too (RFC 6533 §3). */
    public static boolean isValid(String value, boolean utf8) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length() || !isUpperHex(value.charAt(i + 1)) || !isUpperHex(value.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c == '=' || c < 33 || (c > 126 && !(utf8 && c >= 0x80))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes xtext for display; a "+" not followed by two hex digits is kept as it is, since a value already
     * accepted is only shown, never parsed again.
     */
    public static String decode(String xtext) {
        StringBuilder out = new StringBuilder(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+' && i + 2 < xtext.length() && hex(xtext.charAt(i + 1)) >= 0 && hex(xtext.charAt(i + 2)) >= 0) {
                out.append((char) (hex(xtext.charAt(i + 1)) * 16 + hex(xtext.charAt(i + 2))));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // RFC 3461 §4: hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits.
    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
