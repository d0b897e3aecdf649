package org.stsrelay.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/** Opens the segment files the writer appends to; a seam so tests can inject write failures. */
@FunctionalInterface
interface ChannelOpener {

    /** The real file system. */
    ChannelOpener FILES = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
