package org.stsrelay.policy.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.support.AtomicFiles;

/** Stores each domain's policy in {@code <domain>.policy}, replaced atomically by {@link AtomicFiles#write}. */
final class FilePolicyStore implements PolicyStore {

    private static final Logger LOG = LoggerFactory.getLogger(FilePolicyStore.class);
    private static final String SUFFIX = ".policy";

    private final Path directory;

    FilePolicyStore(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    @Override
    public Optional<StoredPolicy> load(String domain) throws IOException {
        try {
            return read(fileOf(domain));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        }
    }

    @Override
    public List<StoredPolicy> loadAll() throws IOException {
        List<StoredPolicy> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                read(file).ifPresent(all::add);
            }
        }
        return all;
    }

    private Optional<StoredPolicy> read(Path file) throws IOException {
        Optional<StoredPolicy> stored = StoredPolicyFormat.read(Files.readString(file, StandardCharsets.UTF_8));
        if (stored.isEmpty()) {
            LOG.warn("ignoring damaged policy file {}", file);
        }
        return stored;
    }

    @Override
    public void save(StoredPolicy policy) throws IOException {
        AtomicFiles.write(
                fileOf(policy.policy().domain()),
                StoredPolicyFormat.write(policy).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean delete(String domain) throws IOException {
        boolean existed = Files.deleteIfExists(fileOf(domain));
        syncDirectory();
        return existed;
    }

    // A deletion is durable only once the directory is; not every platform can open a directory for this.
    private void syncDirectory() {
        try {
            AtomicFiles.forceDirectory(directory);
        } catch (IOException unsupported) {
            LOG.debug("cannot fsync directory {}: {}", directory, unsupported.getMessage());
        }
    }

    // Normalised names are [a-z0-9.-] with non-empty labels, so they are safe file names with no "..".
    private Path fileOf(String domain) {
        if (!DomainNames.isNormal(domain)) {
            throw new IllegalArgumentException("not a normalised domain: " + domain);
        }
        return directory.resolve(domain + SUFFIX);
    }
}
