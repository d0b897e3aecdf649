package org.stsrelay.queue;

/** RFC 3461 §4 xtext: "+" and two upper-case hex digits stand for one octet. */
final class Xtext {

    private Xtext() {
    }

    /** Decodes xtext; a "+" not followed by two hex digits is kept as it is (lenient: it is only shown). */
    static String decode(String xtext) {
        StringBuilder out = new StringBuilder(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+' && i + 2 < xtext.length() && hex(xtext.charAt(i + 1)) >= 0
                    && hex(xtext.charAt(i + 2)) >= 0) {
                out.append((char) (hex(xtext.charAt(i + 1)) * 16 + hex(xtext.charAt(i + 2))));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
