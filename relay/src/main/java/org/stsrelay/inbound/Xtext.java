package org.stsrelay.inbound;

/** RFC 3461 §4 xtext: printable ASCII except "+" and "=", which are written as {@code +XX}. */
final class Xtext {

    private Xtext() {
    }

    /** Whether {@code value} is xtext; with {@code utf8}, non-ASCII is allowed too (RFC 6533 §3). */
    static boolean isValid(String value, boolean utf8) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length() || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c == '=' || c < 33 || (c > 126 && !(utf8 && c >= 0x80))) {
                return false;
            }
        }
        return true;
    }

    /** The value of an xtext parameter of at most {@code maxLength} characters, or a 501 5.5.4 rejection. */
    static String require(PathArguments.Param p, int maxLength) {
        if (p.value() == null || p.value().length() > maxLength || !isValid(p.value(), false)) {
            throw new RejectException(Replies.SYNTAX);
        }
        return p.value();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
