package org.stsrelay.dane;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** The TLSA matching types of RFC 6698 §2.1.3: how selected content is compared with association data. */
final class Digests {

    private static final int SHA2_256_LENGTH = 32;
    private static final int SHA2_512_LENGTH = 64;

    private Digests() {}

    /** Tells whether {@code selected}, digested per {@code matchingType}, equals {@code data}. */
    static boolean matches(int matchingType, byte[] selected, byte[] data) {
        return switch (matchingType) {
            case TlsaRecord.FULL -> MessageDigest.isEqual(selected, data);
            case TlsaRecord.SHA2_256 -> MessageDigest.isEqual(digest("SHA-256", selected), data);
            case TlsaRecord.SHA2_512 -> MessageDigest.isEqual(digest("SHA-512", selected), data);
            default -> false;
        };
    }

    /** Returns why {@code length} octets cannot be data of {@code matchingType}, or empty when they can. */
    static Optional<String> lengthProblem(int matchingType, int length) {
        // RFC 6698 §2.1.3: a digest has exactly its hash's length; a record with any other length never matches.
        int expected = switch (matchingType) {
            case TlsaRecord.SHA2_256 -> SHA2_256_LENGTH;
            case TlsaRecord.SHA2_512 -> SHA2_512_LENGTH;
            default -> -1;
        };
        if (expected > 0 && length != expected) {
            return Optional.of(
                    "matching type " + matchingType + " needs " + expected + " octets of digest, not " + length);
        }
        if (expected < 0 && length == 0) {
            return Optional.of("matching type 0 needs the certificate or key, not empty data");
        }
        return Optional.empty();
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("every Java platform has " + algorithm, missing);
        }
    }
}
