package org.stsrelay.owner;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.stsrelay.policy.fetch.TestCa;

/** A domains directory written by a test: per domain a policy file and a certificate issued by a test CA. */
final class SiteFixture {

    static final String POLICY_A = "version: STSv1\nmode: testing\nmx: mx.a.test\nmax_age: 86400\n";
    static final String POLICY_B = "version: STSv1\nmode: enforce\nmx: *.b.test\nmax_age: 604800\n";

    final Path root;
    final TestCa ca;

    SiteFixture(Path root) throws Exception {
        this.root = root;
        this.ca = new TestCa("owner site test root");
    }

    /** Writes {@code domain}'s policy and a certificate for {@code mta-sts.<domain>}. */
    SiteFixture domain(String domain, String policy) throws Exception {
        policy(domain, policy);
        certificate(domain, ca.issue("mta-sts." + domain));
        return this;
    }

    /** Writes (or replaces) {@code domain}'s policy file. */
    void policy(String domain, String policy) throws IOException {
        Path directory = Files.createDirectories(root.resolve(domain));
        Files.writeString(directory.resolve("mta-sts.txt"), policy, StandardCharsets.UTF_8);
    }

    /** Writes (or replaces) {@code domain}'s certificate chain and key. */
    void certificate(String domain, TestCa.Issued issued) throws IOException {
        Path directory = Files.createDirectories(root.resolve(domain));
        StringWriter chain = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(chain)) {
            for (X509Certificate certificate : issued.chain()) {
                writer.writeObject(certificate);
            }
        }
        Files.writeString(directory.resolve("cert.pem"), chain.toString());
        Files.writeString(directory.resolve("key.pem"), pem(new JcaPKCS8Generator(issued.key(), null)));
    }

    /** Replaces only the certificate, keeping the old key: a broken replacement. */
    void certificateOnly(String domain, TestCa.Issued issued) throws IOException {
        StringWriter chain = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(chain)) {
            writer.writeObject(issued.chain()[0]);
        }
        Files.writeString(root.resolve(domain).resolve("cert.pem"), chain.toString());
    }

    /** The CA certificate as a PEM file, for curl. */
    Path caFile(Path directory) throws IOException {
        Path file = directory.resolve("ca.pem");
        Files.writeString(file, pem(ca.certificate()));
        return file;
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
