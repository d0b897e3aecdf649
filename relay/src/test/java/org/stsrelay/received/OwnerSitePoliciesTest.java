package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.fetch.FetchInfo;
import org.stsrelay.policy.fetch.FetchResult;
import org.stsrelay.policy.fetch.PolicyFetcher;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.testing.FakeDns;

class OwnerSitePoliciesTest {

    private static final String POLICY = "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n";

    @TempDir
    Path domains;

    private final FakeDns dns = new FakeDns().txt("_mta-sts.example.com", "v=STSv1; id=20260301;");
    private final AtomicInteger fetches = new AtomicInteger();

    private OwnerSitePolicies policies(FetchResult fetched) {
        PolicyFetcher fetcher = domain -> {
            fetches.incrementAndGet();
            return CompletableFuture.completedFuture(fetched);
        };
        return new OwnerSitePolicies(
                domains, new PolicyResolver(dns, fetcher, TestReports.CLOCK), Duration.ofSeconds(5));
    }

    private static FetchInfo info() {
        return new FetchInfo(
                "https://mta-sts.example.com/.well-known/mta-sts.txt",
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                OptionalInt.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                Duration.ZERO);
    }

    @Test
    @DisplayName("RFC 8461 §3.2: the owner site's own mta-sts.txt is the published policy, with the TXT id")
    void theOwnerSiteFileWins() throws Exception {
        Files.createDirectories(domains.resolve("example.com"));
        Files.writeString(domains.resolve("example.com/mta-sts.txt"), POLICY);
        PublishedLookup found = policies(new FetchResult.Failed(ResultType.STS_POLICY_FETCH_ERROR, "x", info()))
                .find("example.com");
        assertThat(found).isInstanceOfSatisfying(PublishedLookup.Found.class, f -> {
            assertThat(f.policy().lines()).contains("mode: testing", "mx: mx1.example.com");
            assertThat(f.policy().id()).contains("20260301");
            assertThat(f.policy().mode()).contains("testing");
        });
        assertThat(fetches).hasValue(0);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: without a file the policy is fetched from the policy host, and kept a while")
    void fetchedWithoutAFile() {
        OwnerSitePolicies policies = policies(new FetchResult.Fetched(POLICY, info()));
        PublishedLookup found = policies.find("example.com");
        assertThat(found)
                .isInstanceOfSatisfying(
                        PublishedLookup.Found.class,
                        f -> assertThat(f.policy().source()).isEqualTo("https://mta-sts.example.com"));
        policies.find("example.com");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aFailedFetchIsUnknownWithTheReason() {
        PublishedLookup lookup = policies(
                        new FetchResult.Failed(ResultType.STS_POLICY_FETCH_ERROR, "connection refused", info()))
                .find("example.com");
        assertThat(lookup)
                .isInstanceOfSatisfying(
                        PublishedLookup.Unknown.class,
                        u -> assertThat(u.reason()).contains("connection refused"));
    }

    @Test
    void noRecordAndNoFileIsUnknown() {
        PublishedLookup lookup =
                policies(new FetchResult.Fetched(POLICY, info())).find("other.example");
        assertThat(lookup).isInstanceOf(PublishedLookup.Unknown.class);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void aNameThatIsNoDomainIsNeitherAPathNorAQuery() throws Exception {
        Files.writeString(domains.resolve("mta-sts.txt"), POLICY);
        PublishedLookup lookup =
                policies(new FetchResult.Fetched(POLICY, info())).find("../" + domains.getFileName());
        assertThat(lookup).isInstanceOf(PublishedLookup.Unknown.class);
        assertThat(fetches).hasValue(0);
        assertThat(dns.txtQueries()).isZero();
    }
}
