package org.stsrelay.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread of the relay carries a name that says its job, so a thread dump or a profile reads without a
 * key: the first thread of a factory is named {@code name}, later ones {@code name-2}, {@code name-3}, ...
 */
public final class NamedThreads {

    private NamedThreads() {}

    /** Daemon threads named for {@code job}: they never keep the process alive on their own. */
    public static ThreadFactory daemon(String job) {
        return factory(job, true);
    }

    /** Non-daemon threads named for {@code job}: the process waits for them to end. */
    public static ThreadFactory nonDaemon(String job) {
        return factory(job, false);
    }

    private static ThreadFactory factory(String job, boolean daemon) {
        AtomicInteger created = new AtomicInteger();
        return runnable -> {
            int n = created.incrementAndGet();
            Thread thread = new Thread(runnable, n == 1 ? job : job + "-" + n);
            thread.setDaemon(daemon);
            return thread;
        };
    }
}
