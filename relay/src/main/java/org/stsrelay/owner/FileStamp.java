package org.stsrelay.owner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * What a file looks like from outside: modified time, size and identity (the inode where the platform has one, so
 * that a same-sized file renamed into place still counts as a change). Equal stamps: the file is taken as unchanged.
 *
 * @param modified the modified time, {@code ""} if the file is missing
 * @param size     the size in bytes, -1 if the file is missing
 * @param identity the platform's file key, {@code ""} if none
 */
record FileStamp(String modified, long size, String identity) {

    /** The stamp of a file that does not exist or cannot be read. */
    static final FileStamp MISSING = new FileStamp("", -1, "");

    FileStamp {
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(identity, "identity");
    }

    /** The stamp of {@code file} now; {@link #MISSING} if it cannot be looked at. */
    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = attributes.fileKey();
            return new FileStamp(
                    attributes.lastModifiedTime().toString(), attributes.size(), key == null ? "" : key.toString());
        } catch (IOException e) {
            // Missing or unreadable: either way the domain cannot be loaded, and the loader says why.
            return MISSING;
        }
    }
}
