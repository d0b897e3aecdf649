package org.stsrelay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsHttpHandlerTest {

    private static FullHttpResponse get(Optional<ReportsPage> page, String uri) {
        EmbeddedChannel channel = new EmbeddedChannel(new MetricsHttpHandler(
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true, page, Runnable::run));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
        // The page is rendered off the event loop; its response is written back on the loop.
        channel.runPendingTasks();
        FullHttpResponse response = channel.readOutbound();
        channel.finishAndReleaseAll();
        return response;
    }

    @Test
    void reportsIsHtmlWithAStrictContentSecurityPolicy() {
        AtomicReference<Map<String, List<String>>> seen = new AtomicReference<>();
        ReportsPage page = query -> {
            seen.set(query);
            return new ReportsPage.Response(200, "<!DOCTYPE html><p>hello</p>");
        };
        FullHttpResponse response = get(Optional.of(page), "/reports?domain=example.com&days=7");
        try {
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(response.headers().get("Content-Security-Policy"))
                    .isEqualTo("default-src 'none'; style-src 'unsafe-inline'");
            assertThat(response.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("<!DOCTYPE html><p>hello</p>");
            assertThat(seen.get()).isEqualTo(Map.of("domain", List.of("example.com"), "days", List.of("7")));
        } finally {
            response.release();
        }
    }

    @Test
    void reportsIsNotFoundWhenNoPageIsConfigured() {
        FullHttpResponse response = get(Optional.empty(), "/reports");
        try {
            assertThat(response.status().code()).isEqualTo(404);
        } finally {
            response.release();
        }
    }

    @Test
    void aFailingPageIsA500WithoutDetails() {
        FullHttpResponse response = get(
                Optional.of(query -> {
                    throw new IllegalStateException("secret internals");
                }),
                "/reports");
        try {
            assertThat(response.status().code()).isEqualTo(500);
            assertThat(response.content().toString(StandardCharsets.UTF_8)).doesNotContain("secret");
        } finally {
            response.release();
        }
    }

    @Test
    void aBusyRendererIsA503() {
        EmbeddedChannel channel = new EmbeddedChannel(new MetricsHttpHandler(
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> true,
                Optional.of(query -> new ReportsPage.Response(200, "never")),
                task -> {
                    throw new RejectedExecutionException("full");
                }));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/reports"));
        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(503);
        } finally {
            response.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void metricsStillAnswers() {
        FullHttpResponse response = get(Optional.empty(), "/metrics");
        try {
            assertThat(response.status().code()).isEqualTo(200);
        } finally {
            response.release();
        }
    }
}
