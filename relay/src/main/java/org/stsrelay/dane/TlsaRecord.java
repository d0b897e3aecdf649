package org.stsrelay.dane;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.stsrelay.policy.dns.TlsaRecordData;

/**
 * One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and association data. Values
 * outside the ones RFC 7672 §3.1.3 makes usable are kept, so that reports and {@code check} can show them.
 */
public final class TlsaRecord {

    /** Certificate usage PKIX-TA(0); unusable for SMTP (RFC 7672 §3.1.3). */
    public static final int PKIX_TA = 0;
    /** Certificate usage PKIX-EE(1); unusable for SMTP (RFC 7672 §3.1.3). */
    public static final int PKIX_EE = 1;
    /** Certificate usage DANE-TA(2): a trust anchor in the presented chain (RFC 7672 §3.1.2). */
    public static final int DANE_TA = 2;
    /** Certificate usage DANE-EE(3): the server's own certificate or key (RFC 7672 §3.1.1). */
    public static final int DANE_EE = 3;
    /** Selector Cert(0): the whole DER certificate (RFC 6698 §2.1.2). */
    public static final int CERT = 0;
    /** Selector SPKI(1): the DER SubjectPublicKeyInfo (RFC 6698 §2.1.2). */
    public static final int SPKI = 1;
    /** Matching type Full(0): the selected content itself (RFC 6698 §2.1.3). */
    public static final int FULL = 0;
    /** Matching type SHA2-256(1) (RFC 6698 §2.1.3). */
    public static final int SHA2_256 = 1;
    /** Matching type SHA2-512(2) (RFC 6698 §2.1.3). */
    public static final int SHA2_512 = 2;

    private static final HexFormat HEX = HexFormat.of();

    private final int usage;
    private final int selector;
    private final int matchingType;
    private final byte[] data;

    private TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
        this.usage = usage;
        this.selector = selector;
        this.matchingType = matchingType;
        this.data = data;
    }

    /** Returns the record with these four fields; each number must fit its 8-bit wire field (RFC 6698 §2.1). */
    public static TlsaRecord of(int usage, int selector, int matchingType, byte[] data) {
        checkOctet("usage", usage);
        checkOctet("selector", selector);
        checkOctet("matching type", matchingType);
        return new TlsaRecord(usage, selector, matchingType, data.clone());
    }

    /** Returns the record the DNS layer looked up; the one place DNS data becomes a DANE record. */
    public static TlsaRecord of(TlsaRecordData data) {
        return of(data.usage(), data.selector(), data.matchingType(), data.data());
    }

    /** Parses the presentation form {@code "3 1 1 <hex>"}; the hex may be split by spaces (RFC 6698 §2.2). */
    public static TlsaParse parse(String text) {
        return TlsaPresentationParser.parse(text);
    }

    /** The certificate usage field. */
    public int usage() {
        return usage;
    }

    /** The selector field. */
    public int selector() {
        return selector;
    }

    /** The matching type field. */
    public int matchingType() {
        return matchingType;
    }

    /** A copy of the certificate association data. */
    public byte[] data() {
        return data.clone();
    }

    /** Tells whether {@code selected} (the content this record's selector picks) equals the association data. */
    boolean matches(byte[] selected) {
        return Digests.matches(matchingType, selected, data);
    }

    /**
     * Returns why RFC 7672 §3.1.3 makes this record unusable, or empty when it is usable: only DANE-TA(2) and
     * DANE-EE(3), selectors 0 and 1 and matching types 0, 1 and 2, with data of the digest's length.
     */
    public Optional<String> unusable() {
        if (usage == PKIX_TA || usage == PKIX_EE) {
            return Optional.of("certificate usage " + usage + " (PKIX) is not used for SMTP (RFC 7672 §3.1.3)");
        }
        if (usage != DANE_TA && usage != DANE_EE) {
            return Optional.of("unknown certificate usage " + usage);
        }
        if (selector != CERT && selector != SPKI) {
            return Optional.of("unknown selector " + selector);
        }
        if (matchingType != FULL && matchingType != SHA2_256 && matchingType != SHA2_512) {
            return Optional.of("unknown matching type " + matchingType);
        }
        return Digests.lengthProblem(matchingType, data.length);
    }

    /**
     * The presentation form used in TLS-RPT {@code policy-string} (RFC 8460 §4.5, RFC 6698 §2.2): the four
     * fields separated by single spaces, the data as one run of lower-case hex, e.g. {@code "3 1 1 0a1b..."}.
     */
    public String presentation() {
        return usage + " " + selector + " " + matchingType + " " + HEX.formatHex(data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsaRecord record
                && usage == record.usage
                && selector == record.selector
                && matchingType == record.matchingType
                && Arrays.equals(data, record.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * usage + selector) + matchingType) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return presentation();
    }

    private static void checkOctet(String field, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("TLSA " + field + " must be 0-255, not " + value);
        }
    }
}
