package org.stsrelay.policy.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Persistent policy storage, so that a restart cannot be used to downgrade (RFC 8461 §10.2); calls may block. */
public interface PolicyStore {

    /** Returns the stored policy of a normalised domain, expired or not. */
    Optional<StoredPolicy> load(String domain) throws IOException;

    /** Returns every stored policy, expired or not. */
    List<StoredPolicy> loadAll() throws IOException;

    /** Stores {@code policy} durably, replacing the domain's previous one. */
    void save(StoredPolicy policy) throws IOException;

    /** Removes the domain's policy; tells whether there was one. */
    boolean delete(String domain) throws IOException;

    /** Returns the embedded store: one file per domain under {@code directory}, written atomically. */
    static PolicyStore files(Path directory) throws IOException {
        return new FilePolicyStore(directory);
    }
}
