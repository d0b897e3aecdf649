package org.stsrelay.world;

import org.stsrelay.support.NamedThreads;

/** Background threads of the world's servers: daemons, so a failed test never keeps the JVM alive. */
final class Daemons {

    private Daemons() {}

    /** Starts {@code task} on a daemon thread named {@code job}, through the relay's one thread factory. */
    static Thread start(String job, Runnable task) {
        Thread thread = NamedThreads.daemon(job).newThread(task);
        thread.start();
        return thread;
    }
}
