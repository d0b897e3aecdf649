package org.stsrelay.inbound;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/** One AUTH exchange (RFC 4954 §4): PLAIN (RFC 4616) or LOGIN, from the command to the credentials. */
final class AuthExchange {

    /** What the session does next. */
    sealed interface Step {}

    /** Send this 334 challenge and hand the next line to {@link #next}. */
    record Challenge(Reply reply) implements Step {}

    /** Check these credentials; the caller clears the password afterwards. */
    record Verify(String user, char[] password) implements Step {}

    /** The exchange is over, unsuccessfully. */
    record Fail(Reply reply) implements Step {}

    private enum Mechanism {
        PLAIN,
        LOGIN
    }

    private final Mechanism mechanism;
    private String user;

    private AuthExchange(Mechanism mechanism) {
        this.mechanism = mechanism;
    }

    /** Starts an exchange from the AUTH argument ({@code mechanism [initial-response]}), or returns null with no exchange for an unknown mechanism. */
    static AuthExchange of(String argument) {
        String name = argument.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        return switch (name) {
            case "PLAIN" -> new AuthExchange(Mechanism.PLAIN);
            case "LOGIN" -> new AuthExchange(Mechanism.LOGIN);
            default -> null;
        };
    }

    /** The first step, given the optional initial response (RFC 4954 §4: "=" is an empty one). */
    Step start(String argument) {
        String[] words = argument.split(" ", 2);
        if (words.length < 2) {
            return new Challenge(mechanism == Mechanism.PLAIN ? Replies.AUTH_CONTINUE : Replies.AUTH_USERNAME);
        }
        return next(words[1].equals("=") ? "" : words[1]);
    }

    /** The step after the client's base64 response line ({@code *} cancels, RFC 4954 §4). */
    Step next(String line) {
        if (line.equals("*")) {
            return new Fail(Replies.AUTH_CANCELLED);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            return new Fail(Replies.AUTH_NOT_BASE64);
        }
        try {
            return mechanism == Mechanism.PLAIN ? plain(decoded) : login(decoded);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    // RFC 4616 §2: [authzid] NUL authcid NUL passwd; acting for another identity is not supported.
    private Step plain(byte[] message) {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            return new Fail(Replies.AUTH_NOT_BASE64);
        }
        String authzid = new String(message, 0, first, StandardCharsets.UTF_8);
        String authcid = new String(message, first + 1, second - first - 1, StandardCharsets.UTF_8);
        if (!authzid.isEmpty() && !authzid.equals(authcid)) {
            return new Fail(Replies.AUTH_FAILED);
        }
        return credentials(authcid, Arrays.copyOfRange(message, second + 1, message.length));
    }

    private Step login(byte[] response) {
        if (user == null) {
            user = new String(response, StandardCharsets.UTF_8);
            return new Challenge(Replies.AUTH_PASSWORD);
        }
        return credentials(user, response);
    }

    private static Step credentials(String user, byte[] password) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(password));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return new Verify(user, out);
        } catch (CharacterCodingException e) {
            return new Fail(Replies.AUTH_FAILED);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
