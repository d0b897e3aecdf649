package org.stsrelay.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The {@code tls} section: trust used when the relay is the TLS client (policy hosts, MX hosts).
 *
 * @param extraCaFile a PEM bundle of CA certificates trusted besides the system's; empty: none
 * @param extraCertificates the certificates read from that file when the configuration was loaded
 */
public record TlsConfig(Optional<Path> extraCaFile, List<X509Certificate> extraCertificates) {

    public TlsConfig {
        extraCertificates = List.copyOf(extraCertificates);
    }
}
