package org.stsrelay.policy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.cache.PolicyCache;

/** Loads N distinct policies into a warm cache and reports the heap they hold after a full GC. */
public final class HeapFootprint {

    private HeapFootprint() {
    }

    /** Runs with the number of policies as the only argument (default 1,000,000). */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        PolicyCache cache = BenchWorld.warmCache(count);
        long after = usedAfterGc(memory);
        PolicyLookup last = cache.lookup(BenchWorld.domain(count - 1)).toCompletableFuture().join();
        System.out.printf("policies=%d heapUsed=%.1f MiB (%.0f bytes/policy) maxHeap=%.0f MiB lastFound=%s%n",
                count, (after - before) / 1048576.0, (after - before) / (double) count,
                Runtime.getRuntime().maxMemory() / 1048576.0, last instanceof PolicyLookup.Found);
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
