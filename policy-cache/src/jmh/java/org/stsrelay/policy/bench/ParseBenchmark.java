package org.stsrelay.policy.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyParser;

/** Parsing a typical policy file (three mx lines). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParseBenchmark {

    private final String body = BenchWorld.TYPICAL;

    @Benchmark
    public ParseResult parseTypicalPolicy() {
        return PolicyParser.parse(body);
    }
}
