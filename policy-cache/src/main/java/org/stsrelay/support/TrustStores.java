package org.stsrelay.support;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The PKIX trust the relay applies as a TLS client, to policy hosts, MX hosts, the {@code check} probe and
 * https report endpoints alike: the system's trusted CAs plus those of {@code tls.extra-ca-file}.
 */
public final class TrustStores {

    private TrustStores() {}

    /** A PKIX trust manager over the system's trusted CAs and {@code extra}. */
    public static X509ExtendedTrustManager pkix(List<X509Certificate> extra) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int index = 0;
            for (X509Certificate system : system().getAcceptedIssuers()) {
                anchors.setCertificateEntry("system-" + index++, system);
            }
            for (X509Certificate added : extra) {
                anchors.setCertificateEntry("extra-" + index++, added);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            return first(factory.getTrustManagers());
        } catch (GeneralSecurityException | IOException unusable) {
            throw new IllegalStateException("cannot build the TLS client trust store", unusable);
        }
    }

    private static X509ExtendedTrustManager system() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return first(factory.getTrustManagers());
    }

    private static X509ExtendedTrustManager first(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager available");
    }
}
