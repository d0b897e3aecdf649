package org.stsrelay.owner;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.NamedThreads;

/**
 * Keeps the current snapshot of the domains directory: loaded once at start, then looked at every reload interval on
 * the {@code owner-site-reload} thread and swapped as a whole, so a request sees either the old or the new files of
 * a domain, never a mix.
 */
final class SiteWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SiteWatcher.class);

    private final SiteLoader loader;
    private final Duration interval;
    private final AtomicReference<SiteSnapshot> current = new AtomicReference<>(SiteSnapshot.EMPTY);
    private ScheduledExecutorService timer;

    SiteWatcher(SiteLoader loader, Duration interval) {
        this.loader = loader;
        this.interval = interval;
    }

    /** Loads the directory now, on the caller's thread, then starts looking at it every interval. */
    void start() {
        reload();
        timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("owner-site-reload"));
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The snapshot to serve now. */
    SiteSnapshot current() {
        return current.get();
    }

    private void reload() {
        current.set(loader.reload(current.get()));
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            // A failed look must not end the schedule: the last snapshot stays, the next look tries again.
            LOG.warn("owner site: reloading failed, serving the last snapshot: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
