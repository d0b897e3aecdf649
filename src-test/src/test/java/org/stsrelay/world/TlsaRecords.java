package org.stsrelay.world;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** TLSA records in presentation form (RFC 6698 §2.2) for the world's certificates. */
public final class TlsaRecords {

    private TlsaRecords() {}

    /** {@code 3 1 1}: DANE-EE, SHA-256 of the server certificate's key (RFC 7672 §3.1.1). */
    public static String daneEe(MxServer server) {
        return spki(3, server.chain()[0]);
    }

    /** {@code 2 1 1}: DANE-TA, SHA-256 of the key of the CA that issued the server's certificate (§3.1.2). */
    public static String daneTa(MxServer server) {
        X509Certificate[] chain = server.chain();
        if (chain.length < 2) {
            throw new IllegalArgumentException(server.host() + " presents no issuer certificate");
        }
        return spki(2, chain[1]);
    }

    /** {@code 1 1 1}: PKIX-EE, unusable for SMTP (RFC 7672 §3.1.3), for the server's own key. */
    public static String pkixEe(MxServer server) {
        return spki(1, server.chain()[0]);
    }

    /** A {@code 3 1 1} record that matches no key in the world. */
    public static String unrelated() {
        return "3 1 1 " + "00".repeat(31) + "01";
    }

    private static String spki(int usage, X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getPublicKey().getEncoded());
            return usage + " 1 1 " + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
