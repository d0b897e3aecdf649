package org.stsrelay.spool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/** Every spool meter, defined in one place; tags are low-cardinality only. */
final class SpoolMetrics {

    private final MeterRegistry registry;
    private final Timer commit;
    private final Counter fsyncs;
    private final Counter committed;
    private final Counter failed;
    private final Counter bytesWritten;
    private final Gauge messages;
    private final Gauge diskFree;

    SpoolMetrics(MeterRegistry registry, LogIndex index, java.nio.file.Path directory) {
        this.registry = registry;
        this.commit = Timer.builder("sts.relay.spool.commit")
                .description("Time from commit() to the message being durable (or failed)")
                .publishPercentileHistogram()
                .register(registry);
        this.fsyncs = Counter.builder("sts.relay.spool.fsync")
                .description("fsync calls on segment files and directories")
                .register(registry);
        this.committed = commits(registry, "committed");
        this.failed = commits(registry, "failed");
        this.bytesWritten = Counter.builder("sts.relay.spool.bytes.written")
                .description("Octets appended to the spool log")
                .register(registry);
        this.messages = Gauge.builder("sts.relay.spool.messages", index, LogIndex::size)
                .description("Messages held in the spool")
                .strongReference(true)
                .register(registry);
        // A full disk turns every DATA into 451 4.3.0: operators alert on this before it happens.
        this.diskFree = Gauge.builder("sts.relay.spool.disk.free", directory, SpoolMetrics::usableSpace)
                .description("Octets free for the spool on its file system")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
    }

    private static double usableSpace(java.nio.file.Path directory) {
        try {
            return java.nio.file.Files.getFileStore(directory).getUsableSpace();
        } catch (java.io.IOException unreadable) {
            return Double.NaN;
        }
    }

    private static Counter commits(MeterRegistry registry, String result) {
        return Counter.builder("sts.relay.spool.commits")
                .description("Message commits by result")
                .tag("result", result)
                .register(registry);
    }

    Timer.Sample startCommit() {
        return Timer.start(registry);
    }

    void committed(Timer.Sample sample) {
        sample.stop(commit);
        committed.increment();
    }

    void failed(Timer.Sample sample) {
        sample.stop(commit);
        failed.increment();
    }

    void fsync() {
        fsyncs.increment();
    }

    void written(long octets) {
        bytesWritten.increment(octets);
    }

    /** Unregisters the meters, so that a spool reopened in the same process reports its own state. */
    void close() {
        for (Meter meter : List.of(commit, fsyncs, committed, failed, bytesWritten, messages, diskFree)) {
            registry.remove(meter);
        }
    }
}
