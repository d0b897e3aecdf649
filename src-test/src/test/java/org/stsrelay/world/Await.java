package org.stsrelay.world;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling of another process's state (a log file, an HTTP endpoint). A black-box test
 * cannot be told when a separate process is done, so it looks again at a fixed interval until a
 * deadline; the deadline keeps a broken process from hanging the build.
 */
public final class Await {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Await() {}

    /** Returns once {@code condition} holds; throws AssertionError with {@code whyNot} when the timeout passes. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whyNot) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + whyNot.get());
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
