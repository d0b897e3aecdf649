package org.stsrelay.owner;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.DomainNames;

/**
 * Builds the next snapshot of the domains directory from the last one: unchanged domains are kept as they are,
 * changed ones are loaded again, and a domain whose new files are broken keeps its last good state. Each broken
 * change is warned about once, naming the file and the reason; it is retried when its files change again.
 */
final class SiteLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SiteLoader.class);

    private final Path directory;
    private final DomainLoader loader;
    /** The stamps of each domain's last broken files, so one change gets one warning. Used by one thread only. */
    private final Map<String, SiteFiles.Stamp> broken = new HashMap<>();
    /** The entries skipped at the last look as not named like a domain, so each is warned about once. */
    private Set<String> skipped = Set.of();

    private boolean directoryMissing;

    SiteLoader(Path directory, DomainLoader loader) {
        this.directory = directory;
        this.loader = loader;
    }

    /** The snapshot after looking at the directory now; {@code previous} if the directory cannot be listed. */
    SiteSnapshot reload(SiteSnapshot previous) {
        Map<String, Path> found;
        try {
            found = domainDirectories();
        } catch (IOException e) {
            if (!directoryMissing) {
                LOG.warn("owner site: cannot list {}: {}; serving what was loaded before", directory, e.getMessage());
            }
            directoryMissing = true;
            return previous;
        }
        directoryMissing = false;
        Map<String, OwnedDomain> next = new HashMap<>();
        for (Map.Entry<String, Path> entry : found.entrySet()) {
            next(entry.getKey(), new SiteFiles(entry.getValue()), previous.domain(entry.getKey()))
                    .ifPresent(domain -> next.put(domain.domain(), domain));
        }
        for (String gone : previous.domains().keySet()) {
            if (!found.containsKey(gone)) {
                LOG.info("owner site: {} no longer served: its directory is gone", gone);
            }
        }
        broken.keySet().retainAll(found.keySet());
        return new SiteSnapshot(next);
    }

    private Optional<OwnedDomain> next(String domain, SiteFiles files, Optional<OwnedDomain> last) {
        // Stamped before reading, so that a write during the load shows as a change at the next look.
        SiteFiles.Stamp stamp = files.stamp();
        if (last.isPresent() && last.get().stamp().equals(stamp) || stamp.equals(broken.get(domain))) {
            return last;
        }
        DomainLoad load = loader.load(domain, files, stamp);
        if (load instanceof DomainLoad.Loaded loaded) {
            broken.remove(domain);
            LOG.info(
                    "owner site: {} {}",
                    last.isPresent() ? "reloaded" : "serving",
                    loaded.domain().host());
            return Optional.of(loaded.domain());
        }
        broken.put(domain, stamp);
        String reason = ((DomainLoad.Broken) load).reason();
        if (last.isPresent()) {
            LOG.warn("owner site: {} keeps its last good files: {}", last.get().host(), reason);
        } else {
            LOG.warn("owner site: {} is not served: {}", SiteSnapshot.POLICY_HOST_PREFIX + domain, reason);
        }
        return last;
    }

    /** The subdirectories named like domains, by normalised name; others are warned about and skipped. */
    private Map<String, Path> domainDirectories() throws IOException {
        Map<String, Path> domains = new TreeMap<>();
        Set<String> skippedNow = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Optional<String> domain = DomainNames.normalize(name);
                if (domain.isPresent() && domain.get().equals(name)) {
                    domains.put(domain.get(), entry);
                } else {
                    skippedNow.add(name);
                    if (!skipped.contains(name)) {
                        LOG.warn("owner site: skipping {}: not a domain name in lower-case A-label form", entry);
                    }
                }
            }
        }
        skipped = skippedNow;
        return domains;
    }
}
