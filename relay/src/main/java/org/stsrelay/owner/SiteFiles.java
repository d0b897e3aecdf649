package org.stsrelay.owner;

import java.nio.file.Path;

/**
 * The files of one owned domain: {@code <domains-directory>/<domain>/mta-sts.txt}, {@code cert.pem} and
 * {@code key.pem}.
 *
 * @param directory the domain's directory
 */
record SiteFiles(Path directory) {

    /** The policy file, served as it is. */
    Path policy() {
        return directory.resolve("mta-sts.txt");
    }

    /** The certificate chain, leaf first (PEM). */
    Path certificate() {
        return directory.resolve("cert.pem");
    }

    /** The unencrypted private key of the leaf (PEM). */
    Path key() {
        return directory.resolve("key.pem");
    }

    /** The stamps of the three files now. */
    Stamp stamp() {
        return new Stamp(FileStamp.of(policy()), FileStamp.of(certificate()), FileStamp.of(key()));
    }

    /** The stamps of a domain's three files: equal stamps, nothing to reload. */
    record Stamp(FileStamp policy, FileStamp certificate, FileStamp key) {}
}
