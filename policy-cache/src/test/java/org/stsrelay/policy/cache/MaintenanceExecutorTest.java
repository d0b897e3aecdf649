package org.stsrelay.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MaintenanceExecutorTest {

    @Test
    void runsTasksOnThePoolWhileItRuns() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "pool"));
        AtomicReference<String> ranOn = new AtomicReference<>();
        new MaintenanceExecutor(pool)
                .execute(() -> ranOn.set(Thread.currentThread().getName()));
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn.get()).isEqualTo("pool");
    }

    @Test
    void runsATaskOnTheCallerOnceThePoolIsShutDownInsteadOfRejectingIt() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.shutdown();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        new MaintenanceExecutor(pool).execute(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }
}
