package org.stsrelay.received;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.resolve.Discovery;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.policy.resolve.Retrieval;

/**
 * The published policy of a domain: the owner site's {@code <domains-directory>/<domain>/mta-sts.txt} when there is
 * one (what the owner site serves), else the policy fetched from {@code mta-sts.<domain>} (RFC 8461 §3.3). The TXT
 * {@code id} is looked up in DNS either way. Answers are kept a few minutes, so a page view costs no lookups.
 */
public final class OwnerSitePolicies implements PublishedPolicies {

    // The policy file is small (RFC 8461 §3.3 suggests senders cap it at 64 KiB); a larger file is not a policy.
    private static final long MAX_FILE = 64 * 1024;
    private static final Duration KEEP = Duration.ofMinutes(5);

    private final Path domainsDirectory;
    private final PolicyResolver resolver;
    private final Duration timeout;
    private final Cache<String, PublishedLookup> answers =
            Caffeine.newBuilder().expireAfterWrite(KEEP).maximumSize(1000).build();

    /**
     * @param domainsDirectory the owner site's {@code domains-directory}
     * @param resolver         finds the TXT id and fetches policies
     * @param timeout          how long one lookup may take
     */
    public OwnerSitePolicies(Path domainsDirectory, PolicyResolver resolver, Duration timeout) {
        this.domainsDirectory = domainsDirectory;
        this.resolver = resolver;
        this.timeout = timeout;
    }

    @Override
    public PublishedLookup find(String domain) {
        // The name comes from a stranger's report: only a normalised domain name becomes a path or a DNS query.
        if (!DomainNames.normalize(domain).equals(Optional.of(domain))) {
            return new PublishedLookup.Unknown("\"" + domain + "\" is not a normalised domain name");
        }
        return answers.get(domain, this::lookUp);
    }

    private PublishedLookup lookUp(String domain) {
        Path file = domainsDirectory.resolve(domain).resolve("mta-sts.txt");
        try {
            Discovery discovery = await(resolver.discover(domain).toCompletableFuture());
            Optional<String> id = discovery instanceof Discovery.Discovered found
                    ? Optional.of(found.record().id())
                    : Optional.empty();
            if (Files.isRegularFile(file)) {
                return fromFile(file, id);
            }
            if (discovery instanceof Discovery.Unavailable unavailable) {
                return new PublishedLookup.Unknown("no owner-site file " + file + ", and " + unavailable.reason());
            }
            Retrieval retrieval =
                    await(resolver.retrieve(domain, id.orElseThrow()).toCompletableFuture());
            if (retrieval instanceof Retrieval.Retrieved retrieved) {
                return new PublishedLookup.Found(
                        new PublishedPolicy(retrieved.policy().lines(), id, "https://mta-sts." + domain));
            }
            return new PublishedLookup.Unknown("policy fetch failed: " + ((Retrieval.NotRetrieved) retrieval).detail());
        } catch (IOException e) {
            return new PublishedLookup.Unknown("cannot read " + file + ": " + e.getMessage());
        } catch (TimeoutException e) {
            return new PublishedLookup.Unknown(
                    "lookup of " + domain + " took longer than " + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            return new PublishedLookup.Unknown("lookup of " + domain + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PublishedLookup.Unknown("lookup of " + domain + " interrupted");
        }
    }

    private static PublishedLookup fromFile(Path file, Optional<String> id) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            return new PublishedLookup.Unknown(file + " is larger than " + MAX_FILE + " bytes");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return new PublishedLookup.Found(new PublishedPolicy(PolicyLines.lines(text), id, file.toString()));
    }

    private <T> T await(CompletableFuture<T> future) throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
