package org.stsrelay.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;

class FilePolicyStoreTest {

    @TempDir
    Path directory;

    static StoredPolicy stored(String domain, String text) {
        Policy policy = new Policy(
                domain,
                "abc123",
                ((ParseResult.Valid) PolicyParser.parse(text)).document(),
                Instant.parse("2026-01-01T00:00:00Z"));
        return new StoredPolicy(policy, Instant.parse("2026-01-02T00:00:00Z"));
    }

    @Test
    @DisplayName("RFC 8460 §4.5: a stored policy round-trips with its raw text, CRLF kept")
    void roundTrips() throws Exception {
        PolicyStore store = PolicyStore.files(directory);
        StoredPolicy policy =
                stored("example.com", "version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 9\r\n");
        store.save(policy);
        assertThat(store.load("example.com")).contains(policy);
        assertThat(store.loadAll()).containsExactly(policy);
        try (var files = Files.list(directory)) {
            assertThat(files).extracting(path -> path.getFileName().toString()).containsExactly("example.com.policy");
        }
    }

    @Test
    @DisplayName("saving replaces the previous policy; delete removes it")
    void replacesAndDeletes() throws Exception {
        PolicyStore store = PolicyStore.files(directory);
        store.save(stored("example.com", "version: STSv1\nmode: none\nmax_age: 1\n"));
        StoredPolicy second = stored("example.com", "version: STSv1\nmode: none\nmax_age: 2\n");
        store.save(second);
        assertThat(store.load("example.com")).contains(second);
        assertThat(store.delete("example.com")).isTrue();
        assertThat(store.delete("example.com")).isFalse();
        assertThat(store.load("example.com")).isEmpty();
    }

    @Test
    @DisplayName("a damaged file is ignored, never trusted")
    void ignoresDamagedFiles() throws Exception {
        PolicyStore store = PolicyStore.files(directory);
        Files.writeString(
                directory.resolve("example.com.policy"), "sts-relay-policy 1\ndomain: example.com\n\ngarbage");
        assertThat(store.load("example.com")).isEmpty();
        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    @DisplayName("file names come only from normalised domains")
    void rejectsUnsafeNames() throws Exception {
        PolicyStore store = PolicyStore.files(directory);
        assertThatThrownBy(() -> store.load("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("..")).isInstanceOf(IllegalArgumentException.class);
    }
}
