package org.stsrelay.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A scheduled executor the test drives: tasks run only inside {@link #drain}, on the test's thread;
 * timers fire by the test's clock, never by wall time.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final Clock clock;
    private final BlockingQueue<Runnable> ready = new LinkedBlockingQueue<>();
    private final List<Timer> timers = new ArrayList<>();
    private volatile boolean shutdown;

    ManualScheduler(Clock clock) {
        this.clock = clock;
    }

    /** A timer: one-shot, or repeating every {@code period} after it ran. */
    private final class Timer implements ScheduledFuture<Object> {
        final Runnable task;
        final long periodNanos;
        Instant due;
        volatile boolean cancelled;

        Timer(Runnable task, Instant due, long periodNanos) {
            this.task = task;
            this.due = due;
            this.periodNanos = periodNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(java.time.Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean interrupt) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * Runs ready tasks and due timers until nothing is ready and {@code settled} holds; waits for
     * tasks other threads (the spool's writer) hand in meanwhile. Fails after ten seconds.
     */
    void drain(BooleanSupplier settled) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            runDueTimers();
            Runnable task = ready.poll();
            if (task != null) {
                task.run();
                continue;
            }
            if (settled.getAsBoolean() && ready.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("queue did not settle within 10 s");
            }
            try {
                task = ready.poll(5, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (task != null) {
                task.run();
            }
        }
    }

    private void runDueTimers() {
        List<Timer> due = new ArrayList<>();
        synchronized (timers) {
            timers.removeIf(timer -> timer.cancelled);
            for (Timer timer : timers) {
                if (!timer.due.isAfter(clock.instant())) {
                    due.add(timer);
                }
            }
        }
        for (Timer timer : due) {
            timer.task.run();
            synchronized (timers) {
                if (timer.periodNanos > 0) {
                    timer.due = clock.instant().plusNanos(timer.periodNanos);
                } else {
                    timers.remove(timer);
                }
            }
        }
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        ready.add(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, delay, 0, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the queue schedules runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, initialDelay, delay, unit);
    }

    private Timer add(Runnable command, long delay, long period, TimeUnit unit) {
        Timer timer = new Timer(command, clock.instant().plusNanos(unit.toNanos(delay)), unit.toNanos(period));
        synchronized (timers) {
            timers.add(timer);
        }
        return timer;
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return new ArrayList<>(ready);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
