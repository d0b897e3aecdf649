package org.stsrelay.runtime;

import java.io.IOException;

/** One part of the running relay that {@link RelayRuntime} starts in order and stops in reverse. */
interface Stage extends AutoCloseable {

    /** Builds and starts what this stage runs; the stages listed before it have started. */
    void start() throws IOException;

    /** Stops what {@link #start()} started, or as much of it as got started; never throws. */
    @Override
    void close();
}
