package org.stsrelay.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The relay's outbound SMTP connections: idle ones kept per (MX host, address, port) for the next message,
 * and the limits on connections in use, in total and per destination domain. Callers wait in line for a
 * slot, for a bounded time.
 */
public final class OutboundConnections implements AutoCloseable {

    /** Where a pooled connection leads; TLS state is judged per message from the connection itself. */
    record Key(String mxHost, String ip, int port) {}

    /** The right to use one connection for one domain; released exactly once. */
    final class Slot {
        private final String domain;
        private boolean released;

        private Slot(String domain) {
            this.domain = domain;
        }

        void release() {
            synchronized (OutboundConnections.this) {
                if (released) {
                    return;
                }
                released = true;
                inUse--;
                perDomain.merge(domain, -1, Integer::sum);
            }
            serveWaiters();
        }
    }

    private record Waiter(String domain, CompletableFuture<Optional<Slot>> slot) {}

    private final int maxConnections;
    private final int maxPerDomain;
    private final int maxMessages;
    private final Duration idleTimeout;
    private final Duration maxWait;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<Key, Deque<SmtpConnection>> idle = new HashMap<>();
    private final Map<String, Integer> perDomain = new HashMap<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private int inUse;
    private int idleCount;
    private boolean closed;

    OutboundConnections(
            int maxConnections,
            int maxPerDomain,
            int maxMessages,
            Duration idleTimeout,
            Duration maxWait,
            Clock clock,
            ScheduledExecutorService timer) {
        this.maxConnections = maxConnections;
        this.maxPerDomain = maxPerDomain;
        this.maxMessages = maxMessages;
        this.idleTimeout = idleTimeout;
        this.maxWait = maxWait;
        this.clock = clock;
        this.timer = timer;
    }

    /** A slot for {@code domain}, at once or when one frees up; empty when none did within the wait. */
    CompletableFuture<Optional<Slot>> slot(String domain) {
        CompletableFuture<Optional<Slot>> result = new CompletableFuture<>();
        synchronized (this) {
            if (!closed && fits(domain)) {
                result.complete(Optional.of(take(domain)));
                return result;
            }
            waiters.add(new Waiter(domain, result));
        }
        timer.schedule(
                () -> {
                    synchronized (this) {
                        waiters.removeIf(w -> w.slot() == result);
                    }
                    result.complete(Optional.empty());
                },
                maxWait.toMillis(),
                TimeUnit.MILLISECONDS);
        return result;
    }

    /** An idle connection to {@code key} that {@code usable} accepts, taken out of the pool. */
    synchronized Optional<SmtpConnection> takeIdle(Key key, Predicate<SmtpConnection> usable) {
        Deque<SmtpConnection> queue = idle.get(key);
        if (queue == null) {
            return Optional.empty();
        }
        for (Iterator<SmtpConnection> it = queue.iterator(); it.hasNext(); ) {
            SmtpConnection connection = it.next();
            if (!connection.isOpen()) {
                it.remove();
                idleCount--;
            } else if (usable.test(connection)) {
                it.remove();
                idleCount--;
                return Optional.of(connection);
            }
        }
        return Optional.empty();
    }

    /** Makes room for a new connection: total open connections stay within the global limit. */
    void beforeOpening() {
        SmtpConnection oldest = null;
        synchronized (this) {
            if (inUse + idleCount >= maxConnections) {
                oldest = evictOne();
            }
        }
        if (oldest != null) {
            oldest.quit();
        }
    }

    /** Returns a connection after a message: kept idle when it may carry more, else QUIT. */
    void giveBack(Key key, SmtpConnection connection) {
        boolean keep;
        synchronized (this) {
            keep = !closed && connection.isOpen() && connection.messages() < maxMessages;
            if (keep) {
                connection.idleSince(clock.instant());
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(connection);
                idleCount++;
            }
        }
        if (!keep) {
            connection.quit();
            return;
        }
        timer.schedule(() -> expire(key, connection), idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void expire(Key key, SmtpConnection connection) {
        synchronized (this) {
            Deque<SmtpConnection> queue = idle.get(key);
            Instant since = connection.idleSince();
            boolean stillIdle = queue != null
                    && queue.contains(connection)
                    && !since.plus(idleTimeout).isAfter(clock.instant());
            if (!stillIdle) {
                return;
            }
            queue.remove(connection);
            idleCount--;
        }
        connection.quit();
    }

    private boolean fits(String domain) {
        return inUse < maxConnections && perDomain.getOrDefault(domain, 0) < maxPerDomain;
    }

    private Slot take(String domain) {
        inUse++;
        perDomain.merge(domain, 1, Integer::sum);
        return new Slot(domain);
    }

    private SmtpConnection evictOne() {
        SmtpConnection oldest = null;
        Deque<SmtpConnection> from = null;
        for (Deque<SmtpConnection> queue : idle.values()) {
            SmtpConnection last = queue.peekLast();
            if (last != null && (oldest == null || last.idleSince().isBefore(oldest.idleSince()))) {
                oldest = last;
                from = queue;
            }
        }
        if (from != null) {
            from.removeLast();
            idleCount--;
        }
        return oldest;
    }

    private void serveWaiters() {
        List<Runnable> grants = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (fits(waiter.domain())) {
                    it.remove();
                    Slot slot = take(waiter.domain());
                    grants.add(() -> {
                        if (!waiter.slot().complete(Optional.of(slot))) {
                            slot.release();
                        }
                    });
                }
            }
        }
        grants.forEach(Runnable::run);
    }

    /** QUITs every idle connection; connections in use close when their message is done. */
    @Override
    public void close() {
        List<SmtpConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
            idleCount = 0;
        }
        all.forEach(SmtpConnection::quit);
    }
}
