package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolMetricsTest {

    @TempDir
    Path directory;

    @Test
    void prometheusScrapeShowsTheDocumentedSpoolMeterNames() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), registry)) {
            Fixtures.commit(spool, Fixtures.plainEnvelope(spool.nextId()), Fixtures.content(100, 1));
            String scrape = registry.scrape();
            assertThat(scrape)
                    .contains("sts_relay_spool_commit_seconds_bucket")
                    .contains("sts_relay_spool_commit_seconds_count 1")
                    .contains("sts_relay_spool_fsync_total")
                    .contains("sts_relay_spool_commits_total{result=\"committed\"} 1")
                    .contains("sts_relay_spool_commits_total{result=\"failed\"} 0")
                    .contains("sts_relay_spool_messages 1")
                    .contains("sts_relay_spool_bytes_written_total")
                    .containsPattern("sts_relay_spool_disk_free_bytes [1-9]");
        }
    }
}
