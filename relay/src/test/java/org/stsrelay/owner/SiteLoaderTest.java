package org.stsrelay.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteLoaderTest {

    @TempDir
    Path root;

    private SiteFixture site;
    private SiteLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        site = new SiteFixture(root);
        loader = new SiteLoader(root, new DomainLoader(Clock.systemUTC()));
    }

    private static String policyOf(SiteSnapshot snapshot, String domain) {
        return new String(snapshot.domain(domain).orElseThrow().policy(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: each domain directory is served at mta-sts.<domain>")
    void loadsEveryDomain() throws Exception {
        site.domain("a.test", SiteFixture.POLICY_A).domain("b.test", SiteFixture.POLICY_B);

        SiteSnapshot snapshot = loader.reload(SiteSnapshot.EMPTY);

        assertThat(snapshot.domains()).containsOnlyKeys("a.test", "b.test");
        assertThat(policyOf(snapshot, "a.test")).isEqualTo(SiteFixture.POLICY_A);
        assertThat(snapshot.forHost("MTA-STS.B.Test.")).map(OwnedDomain::domain).hasValue("b.test");
        assertThat(snapshot.forHost("b.test")).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.2: a policy the parser refuses is never published")
    void invalidPolicyIsNotServed() throws Exception {
        site.domain("a.test", "version: STSv1\nmode: enforce\nmax_age: 86400\n");

        assertThat(loader.reload(SiteSnapshot.EMPTY).domains()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.2: a policy that is not UTF-8 is never published")
    void nonUtf8PolicyIsNotServed() throws Exception {
        site.domain("a.test", SiteFixture.POLICY_A);
        Files.write(root.resolve("a.test/mta-sts.txt"), new byte[] {'v', (byte) 0xff, '\n'});

        assertThat(loader.reload(SiteSnapshot.EMPTY).domains()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a certificate that does not name mta-sts.<domain> is not served")
    void certificateForAnotherHostIsNotServed() throws Exception {
        site.policy("a.test", SiteFixture.POLICY_A);
        site.certificate("a.test", site.ca.issue("www.a.test"));

        assertThat(loader.reload(SiteSnapshot.EMPTY).domains()).isEmpty();
    }

    @Test
    @DisplayName("an expired certificate is not served")
    void expiredCertificateIsNotServed() throws Exception {
        site.policy("a.test", SiteFixture.POLICY_A);
        site.certificate(
                "a.test",
                site.ca.issue(
                        "mta-sts.a.test",
                        Instant.parse("2020-01-01T00:00:00Z"),
                        Instant.parse("2021-01-01T00:00:00Z"),
                        "mta-sts.a.test"));

        assertThat(loader.reload(SiteSnapshot.EMPTY).domains()).isEmpty();
    }

    @Test
    @DisplayName("a changed policy file is taken up at the next look")
    void changedPolicyIsReloaded() throws Exception {
        site.domain("a.test", SiteFixture.POLICY_A);
        SiteSnapshot first = loader.reload(SiteSnapshot.EMPTY);

        site.policy("a.test", SiteFixture.POLICY_B);
        SiteSnapshot second = loader.reload(first);

        assertThat(policyOf(second, "a.test")).isEqualTo(SiteFixture.POLICY_B);
    }

    @Test
    @DisplayName("unchanged files are not loaded again")
    void unchangedDomainIsKept() throws Exception {
        site.domain("a.test", SiteFixture.POLICY_A);
        SiteSnapshot first = loader.reload(SiteSnapshot.EMPTY);

        SiteSnapshot second = loader.reload(first);

        assertThat(second.domain("a.test").orElseThrow())
                .isSameAs(first.domain("a.test").orElseThrow());
    }

    @Test
    @DisplayName("RFC 8461 §3.2: a broken replacement policy keeps the last good one")
    void brokenPolicyKeepsLastGood() throws Exception {
        site.domain("a.test", SiteFixture.POLICY_A);
        SiteSnapshot first = loader.reload(SiteSnapshot.EMPTY);

        site.policy("a.test", "version: STSv1\nmode: sometimes\n");
        SiteSnapshot second = loader.reload(first);
        SiteSnapshot third = loader.reload(second);

        assertThat(policyOf(second, "a.test")).isEqualTo(SiteFixture.POLICY_A);
        assertThat(third.domain("a.test")).isEqualTo(first.domain("a.test"));
    }

    @Test
    @DisplayName("a certificate replaced without its key keeps the last good certificate")
    void certificateWithoutItsKeyKeepsLastGood() throws Exception {
        site.domain("a.test", SiteFixture.POLICY_A);
        SiteSnapshot first = loader.reload(SiteSnapshot.EMPTY);

        site.certificateOnly("a.test", site.ca.issue("mta-sts.a.test"));
        SiteSnapshot second = loader.reload(first);

        assertThat(second.domain("a.test")).isEqualTo(first.domain("a.test"));
    }

    @Test
    @DisplayName("a broken domain is loaded once its files are fixed")
    void fixedDomainIsLoaded() throws Exception {
        site.domain("a.test", "version: STSv1\n");
        SiteSnapshot broken = loader.reload(SiteSnapshot.EMPTY);

        site.policy("a.test", SiteFixture.POLICY_A);
        SiteSnapshot fixed = loader.reload(broken);

        assertThat(broken.domains()).isEmpty();
        assertThat(policyOf(fixed, "a.test")).isEqualTo(SiteFixture.POLICY_A);
    }

    @Test
    @DisplayName("a removed domain directory is no longer served; other names are skipped")
    void removedAndMisnamedDirectories() throws Exception {
        site.domain("a.test", SiteFixture.POLICY_A).domain("b.test", SiteFixture.POLICY_B);
        Files.createDirectories(root.resolve("Not A Domain"));
        SiteSnapshot first = loader.reload(SiteSnapshot.EMPTY);

        for (String file : new String[] {"mta-sts.txt", "cert.pem", "key.pem"}) {
            Files.delete(root.resolve("b.test").resolve(file));
        }
        Files.delete(root.resolve("b.test"));
        SiteSnapshot second = loader.reload(first);

        assertThat(first.domains()).containsOnlyKeys("a.test", "b.test");
        assertThat(second.domains()).containsOnlyKeys("a.test");
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a policy file over 64 KiB is never published")
    void oversizedPolicyIsNotServed() throws Exception {
        site.domain("a.test", SiteFixture.POLICY_A + "#".repeat(DomainLoader.MAX_POLICY_BYTES));

        assertThat(loader.reload(SiteSnapshot.EMPTY).domains()).isEmpty();
    }
}
