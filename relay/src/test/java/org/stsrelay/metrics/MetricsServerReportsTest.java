package org.stsrelay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stsrelay.config.HostPort;
import org.stsrelay.support.NamedThreads;
import org.stsrelay.support.Transports;

class MetricsServerReportsTest {

    @Test
    void reportsIsServedOverLoopbackNextToMetrics() throws Exception {
        EventLoopGroup group = Transports.group(1, NamedThreads.daemon("metrics-test"));
        MetricsServer server = new MetricsServer(
                new HostPort("127.0.0.1", 0),
                group,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> true,
                Optional.of(query -> new ReportsPage.Response(
                        200, "<!DOCTYPE html><p>" + query.getOrDefault("domain", List.of()) + "</p>")));
        try {
            server.start();
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            URI uri = URI.create("http://127.0.0.1:" + server.boundAddress().getPort() + "/reports?domain=example.com");
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
            assertThat(response.headers().firstValue("content-security-policy"))
                    .contains("default-src 'none'; style-src 'unsafe-inline'");
            assertThat(response.headers().firstValue("x-content-type-options")).contains("nosniff");
            assertThat(response.body()).isEqualTo("<!DOCTYPE html><p>[example.com]</p>");
        } finally {
            server.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
