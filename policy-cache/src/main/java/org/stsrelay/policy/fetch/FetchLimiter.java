package org.stsrelay.policy.fetch;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Runs at most a fixed number of asynchronous tasks at once; the others wait in arrival order. */
final class FetchLimiter {

    private final int permits;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    FetchLimiter(int permits) {
        this.permits = permits;
    }

    <T> CompletionStage<T> submit(Supplier<CompletionStage<T>> task) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Runnable start = () -> task.get().whenComplete((value, error) -> {
            release();
            if (error != null) {
                outcome.completeExceptionally(error);
            } else {
                outcome.complete(value);
            }
        });
        boolean now;
        synchronized (this) {
            now = running < permits;
            if (now) {
                running++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return outcome;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }
}
