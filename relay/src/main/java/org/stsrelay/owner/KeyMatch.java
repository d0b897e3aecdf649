package org.stsrelay.owner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import org.stsrelay.support.PemFiles;

/**
 * Checks that a private key belongs to a certificate, by signing with the one and verifying with the other: a
 * certificate replaced without its key would otherwise load and fail every handshake.
 */
final class KeyMatch {

    private static final byte[] PROBE = "sts-relay owner site key check".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {}

    /** Passes if the key in {@code keyFile} is the private half of {@code leaf}'s public key. */
    static void check(Path keyFile, X509Certificate leaf) throws IOException, Mismatch {
        PrivateKey key = PemFiles.privateKey(keyFile);
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            throw new Mismatch(keyFile + " holds a " + key.getAlgorithm() + " key; use an RSA, EC or Ed25519 key");
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(PROBE);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // A key of another type than the certificate's lands here as well as a plain mismatch.
        }
        throw new Mismatch(keyFile + " is not the key of the certificate for "
                + leaf.getSubjectX500Principal().getName());
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
    }

    /** The key and the certificate do not belong together; a control-flow exception without a stack trace. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }
}
