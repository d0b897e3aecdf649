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

    /** Removes the domain's policy at an operator's request (RFC 8461 §10.3); tells whether there was one. */
    boolean delete(String domain) throws IOException;

    /**
     * Stores a policy an operator asked to be fetched anew; a shared store also tells its other users. The embedded
     * store saves it as any other.
     */
    default void replace(StoredPolicy policy) throws IOException {
        save(policy);
    }

    /**
     * Removes {@code expired}, found expired when the store was read, unless a newer policy of its domain replaced
     * it meanwhile; unlike {@link #delete} it is housekeeping, not a purge. The embedded store deletes the file.
     */
    default boolean deleteExpired(StoredPolicy expired) throws IOException {
        return delete(expired.policy().domain());
    }

    /** Returns the embedded store: one file per domain under {@code directory}, written atomically. */
    static PolicyStore files(Path directory) throws IOException {
        return new FilePolicyStore(directory);
    }
}
