package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.policy.fetch.TestCa;

class HttpsReportPosterTest {

    /** What the in-process receiver saw. */
    private static EventLoopGroup group;

    private static TestCa ca;
    private static TestCa.Issued identity;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ca = new TestCa("Report Receiver CA");
        identity = ca.issue("localhost");
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static HttpsReportPoster poster(List<java.security.cert.X509Certificate> extra) {
        return new HttpsReportPoster(group, extra, Duration.ofSeconds(2), Duration.ofSeconds(5), ReportFixtures.LOCAL);
    }

    private static ReportReceiver receiver(int status) throws Exception {
        return new ReportReceiver(group, identity, status);
    }

    @Test
    @DisplayName("RFC 8460 §5.4: POST of the gzip bytes as application/tlsrpt+gzip; 200 is success")
    void delivered() throws Exception {
        try (ReportReceiver server = receiver(200)) {
            byte[] gzip = ReportGzip.gzip(ReportMailFixtures.JSON);
            HttpsReportOutcome outcome = poster(List.of(ca.certificate()))
                    .post(server.uri("/tlsrpt?v=1"), gzip)
                    .get(10, TimeUnit.SECONDS);
            assertThat(outcome).isEqualTo(new HttpsReportOutcome.Delivered(200));
            ReportReceiver.Received seen = server.received().get(0);
            assertThat(seen.method()).isEqualTo("POST");
            assertThat(seen.uri()).isEqualTo("/tlsrpt?v=1");
            assertThat(seen.contentType()).isEqualTo("application/tlsrpt+gzip");
            // RFC 8460 §6.5: +gzip is a media type suffix, not a Content-Encoding.
            assertThat(seen.contentEncoding()).isNull();
            assertThat(seen.body()).isEqualTo(gzip);
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.4: a 500 is a failure value with the status as reason")
    void serverError() throws Exception {
        try (ReportReceiver server = receiver(500)) {
            HttpsReportOutcome outcome = poster(List.of(ca.certificate()))
                    .post(server.uri("/tlsrpt?v=1"), new byte[] {1, 2, 3})
                    .get(10, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(HttpsReportOutcome.Failed.class);
            assertThat(((HttpsReportOutcome.Failed) outcome).reason()).contains("500");
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.4: a redirect is not followed and counts as a failure")
    void redirectNotFollowed() throws Exception {
        try (ReportReceiver server = receiver(301)) {
            HttpsReportOutcome outcome = poster(List.of(ca.certificate()))
                    .post(server.uri("/tlsrpt?v=1"), new byte[] {1})
                    .get(10, TimeUnit.SECONDS);
            assertThat(((HttpsReportOutcome.Failed) outcome).reason())
                    .contains("301")
                    .contains("redirect");
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.5: a refused connection is a failure value, to be retried")
    void refused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        HttpsReportOutcome outcome = poster(List.of())
                .post(URI.create("https://127.0.0.1:" + port + "/"), new byte[] {1})
                .get(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(HttpsReportOutcome.Failed.class);
        assertThat(((HttpsReportOutcome.Failed) outcome).reason()).contains("cannot connect");
    }

    @Test
    @DisplayName("RFC 8460 §3: certificate errors MAY be ignored, but sts-relay validates: an unknown CA fails")
    void untrustedCertificate() throws Exception {
        try (ReportReceiver server = receiver(200)) {
            HttpsReportOutcome outcome = poster(List.of())
                    .post(server.uri("/tlsrpt?v=1"), new byte[] {1})
                    .get(10, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(HttpsReportOutcome.Failed.class);
            assertThat(server.received()).isEmpty();
        }
    }
}
