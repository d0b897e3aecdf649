package org.stsrelay.policy.dns;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One TLSA record (RFC 6698 §2.1).
 *
 * @param usage the certificate usage field (2 DANE-TA, 3 DANE-EE, ...)
 * @param selector 0 for the full certificate, 1 for the SubjectPublicKeyInfo
 * @param matchingType 0 exact, 1 SHA-256, 2 SHA-512
 * @param data the certificate association data
 */
public record TlsaRecordData(int usage, int selector, int matchingType, byte[] data) {

    /** Copies the data, so the record stays immutable. */
    public TlsaRecordData {
        data = data.clone();
    }

    /** Returns a copy of the certificate association data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsaRecordData that
                && usage == that.usage
                && selector == that.selector
                && matchingType == that.matchingType
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * usage + selector) + matchingType) + Arrays.hashCode(data);
    }

    /** Returns the presentation form, e.g. {@code 3 1 1 ab12...} (RFC 6698 §2.2). */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " "
                + HexFormat.of().formatHex(data);
    }
}
