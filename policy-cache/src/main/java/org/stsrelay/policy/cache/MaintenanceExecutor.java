package org.stsrelay.policy.cache;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Caffeine's maintenance executor: hands each task to the store's pool and, once that pool is shut
 * down, runs it on the calling thread instead.
 */
final class MaintenanceExecutor implements Executor {

    private final Executor pool;

    MaintenanceExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            // A load that completes while the process stops (a `policy refresh` that has its answer and
            // exits) still gets its bookkeeping done, and Caffeine logs no rejection with a stack trace.
            task.run();
        }
    }
}
