package org.stsrelay.policy.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.cache.PolicyCache;

/** A warm-cache policy decision: look up a domain's policy and match an MX host against it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LookupBenchmark {

    @Param("100000")
    int domains;

    private PolicyCache cache;
    private String[] names;
    private String[] mxHosts;
    private int next;

    @Setup
    public void setUp() {
        cache = BenchWorld.warmCache(domains);
        names = new String[1024];
        mxHosts = new String[1024];
        for (int i = 0; i < names.length; i++) {
            int index = (int) ((i * 2_654_435_761L) % domains);
            names[i] = BenchWorld.domain(index);
            mxHosts[i] = "a.mx." + names[i];
        }
    }

    @Benchmark
    public boolean lookupAndMatchMx() {
        int i = next++ & 1023;
        PolicyLookup answer = cache.lookup(names[i]).toCompletableFuture().getNow(null);
        return answer instanceof PolicyLookup.Found found && found.policy().matchesMx(mxHosts[i]);
    }
}
