package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlFilesTest {

    @TempDir
    Path directory;

    @Test
    void createsListsAndRemovesRequestFiles() throws Exception {
        ControlFiles files = new ControlFiles(directory.resolve("control"));
        files.create("hold@example.com");
        files.create("hold");
        assertThat(files.list("hold@*")).containsExactly("hold@example.com");
        assertThat(files.exists("hold")).isTrue();
        assertThat(files.remove("hold")).isTrue();
        assertThat(files.remove("hold")).isFalse();
        try (var listing = Files.list(directory.resolve("control"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("hold@example.com");
        }
    }

    @Test
    void refusesNamesThatAreNotPlainFileNames() {
        ControlFiles files = new ControlFiles(directory);
        assertThatThrownBy(() -> files.create("../evil")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> files.create(".hidden")).isInstanceOf(IllegalArgumentException.class);
    }
}
