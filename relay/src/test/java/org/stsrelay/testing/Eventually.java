package org.stsrelay.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded polling of a condition that another thread (an event loop, the spool's writer) makes true. */
public final class Eventually {

    private Eventually() {}

    /**
     * Returns once {@code condition} holds; fails after ten seconds. The bound is generous because a
     * loaded 2-core machine can starve the thread that makes it true for seconds.
     */
    public static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
