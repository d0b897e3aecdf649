package org.stsrelay.inbound;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and verifies AUTH passwords as {@code $pbkdf2-sha256$i=<iterations>$<b64salt>$<b64hash>}
 * (PBKDF2WithHmacSHA256, 16-byte random salt, 32-byte hash); slow by design, so never on an event loop.
 */
public final class PasswordHasher {

    /** Iterations for new hashes (OWASP 2023 guidance for PBKDF2-HMAC-SHA256). */
    public static final int ITERATIONS = 210_000;

    private static final Pattern FORMAT =
            Pattern.compile("\\$pbkdf2-sha256\\$i=(\\d{1,9})\\$([A-Za-z0-9+/]+={0,2})\\$([A-Za-z0-9+/]+={0,2})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random;

    /** A hasher for new passwords with {@link #ITERATIONS} iterations. */
    public PasswordHasher() {
        this(ITERATIONS, new SecureRandom());
    }

    PasswordHasher(int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.iterations = iterations;
        this.random = random;
    }

    /** The stored form of {@code password} with a fresh random salt. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return "$pbkdf2-sha256$i=" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations, HASH_BITS));
    }

    /** Whether {@code password} matches {@code stored}; false (never an exception) for a malformed hash. */
    public boolean verify(char[] password, String stored) {
        Matcher m = FORMAT.matcher(stored);
        if (!m.matches()) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(m.group(2));
        byte[] expected = Base64.getDecoder().decode(m.group(3));
        byte[] actual = derive(password, salt, Integer.parseInt(m.group(1)), expected.length * 8);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Whether {@code stored} has the format this class writes. */
    public static boolean isWellFormed(String stored) {
        Matcher m = FORMAT.matcher(stored);
        return m.matches()
                && Integer.parseInt(m.group(1)) > 0
                && Base64.getDecoder().decode(m.group(3)).length > 0;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
