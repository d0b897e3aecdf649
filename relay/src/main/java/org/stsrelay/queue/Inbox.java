package org.stsrelay.queue;

import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from other threads to the queue's thread in batches: one task takes every item that arrived
 * before it ran. The spool commits messages a batch at a time; a task and a thread wake-up for each of them
 * would cost two system calls and a context switch per message.
 *
 * @param <T> the items
 */
final class Inbox<T> {

    private final Queue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Consumer<Runnable> run;
    private final Consumer<T> take;
    private final Runnable afterAll;

    /**
     * @param run      submits a task to the queue's thread
     * @param take     what the queue's thread does with each item, in the order they arrived
     * @param afterAll what it does once after each batch
     */
    Inbox(Consumer<Runnable> run, Consumer<T> take, Runnable afterAll) {
        this.run = run;
        this.take = take;
        this.afterAll = afterAll;
    }

    /** Adds items; submits a task unless one is already waiting to take them. */
    void addAll(Collection<T> added) {
        items.addAll(added);
        if (scheduled.compareAndSet(false, true)) {
            run.accept(this::drain);
        }
    }

    private void drain() {
        // Cleared before taking: an item added from here on is taken by this task or schedules the next one.
        scheduled.set(false);
        for (T item = items.poll(); item != null; item = items.poll()) {
            take.accept(item);
        }
        afterAll.run();
    }
}
