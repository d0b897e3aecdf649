package org.stsrelay.policy.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** Builds the PKIX trust used for policy hosts: the system trust store plus extra CA certificates. */
public final class TrustAnchors {

    private TrustAnchors() {
    }

    /** Reads every certificate of a PEM file, e.g. the {@code tls.extra-ca-file} of the configuration. */
    public static List<X509Certificate> readPem(Path pemFile) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pemFile)) {
            for (Certificate certificate : factory.generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pemFile);
        }
        return certificates;
    }

    /** Returns a PKIX trust manager over the system's trusted CAs and {@code extra}. */
    static X509ExtendedTrustManager trustManager(List<X509Certificate> extra) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int index = 0;
            for (X509Certificate system : systemTrustManager().getAcceptedIssuers()) {
                anchors.setCertificateEntry("system-" + index++, system);
            }
            for (X509Certificate added : extra) {
                anchors.setCertificateEntry("extra-" + index++, added);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            return firstX509(factory.getTrustManagers());
        } catch (GeneralSecurityException | IOException unusable) {
            throw new IllegalStateException("cannot build the policy-host trust store", unusable);
        }
    }

    private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return firstX509(factory.getTrustManagers());
    }

    private static X509ExtendedTrustManager firstX509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager available");
    }
}
