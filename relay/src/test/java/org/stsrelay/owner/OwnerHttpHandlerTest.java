package org.stsrelay.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.received.DkimCheck;
import org.stsrelay.received.IntakeResult;
import org.stsrelay.received.Origin;

class OwnerHttpHandlerTest {

    private static final String HOST = "mta-sts.a.test";

    @TempDir
    static Path root;

    private static SiteSnapshot site;

    private final FakeIntake intake = new FakeIntake();
    /** The intake executor under the test's control: tasks run when the test says. */
    private final Queue<Runnable> intakeTasks = new ArrayDeque<>();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OwnerMetrics metrics = new OwnerMetrics(registry);
    private final ReportReceiver reports = new ReportReceiver(intake, (Executor) intakeTasks::add, metrics);
    private final EmbeddedChannel channel = new EmbeddedChannel(new OwnerHttpHandler(() -> site, reports, metrics));

    @BeforeAll
    static void loadSite() throws Exception {
        new SiteFixture(root).domain("a.test", SiteFixture.POLICY_A);
        site = new SiteLoader(root, new DomainLoader(Clock.systemUTC())).reload(SiteSnapshot.EMPTY);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String host) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (host != null) {
            request.headers().set(HttpHeaderNames.HOST, host);
        }
        return request;
    }

    private static FullHttpRequest post(String host, String contentType, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, "/tlsrpt", Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.HOST, host);
        if (contentType != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        return request;
    }

    /** Sends {@code request}, runs the intake and the loop, and returns the answer. */
    private FullHttpResponse exchange(FullHttpRequest request) {
        channel.writeInbound(request);
        runIntake();
        return channel.readOutbound();
    }

    private void runIntake() {
        channel.runPendingTasks();
        while (!intakeTasks.isEmpty()) {
            intakeTasks.poll().run();
        }
        channel.runPendingTasks();
    }

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    private double count(String kind, String status) {
        var counter = registry.find(OwnerMetrics.REQUESTS)
                .tag("kind", kind)
                .tag("status", status)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @DisplayName("RFC 8461 §3.2: the policy is served as text/plain with its exact bytes")
    void servesPolicy() {
        FullHttpResponse response = exchange(request(HttpMethod.GET, "/.well-known/mta-sts.txt", HOST));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(SiteFixture.POLICY_A.length());
        assertThat(response.headers().contains(HttpHeaderNames.LOCATION)).isFalse();
        assertThat(body(response)).isEqualTo(SiteFixture.POLICY_A);
        assertThat(count("policy", "200")).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: the Host is matched without its port and case, the query string ignored")
    void hostPortCaseAndQuery() {
        FullHttpResponse response =
                exchange(request(HttpMethod.GET, "/.well-known/mta-sts.txt?x=1", "MTA-STS.A.Test:8443"));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(SiteFixture.POLICY_A);
    }

    @Test
    @DisplayName("HEAD answers the GET headers, Content-Length included, without a body")
    void head() {
        FullHttpResponse response = exchange(request(HttpMethod.HEAD, "/.well-known/mta-sts.txt", HOST));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(SiteFixture.POLICY_A.length());
        assertThat(body(response)).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.3: another host, no host or another path is 404, never a redirect")
    void notFound() {
        for (FullHttpRequest request : new FullHttpRequest[] {
            request(HttpMethod.GET, "/.well-known/mta-sts.txt", "mta-sts.other.test"),
            request(HttpMethod.GET, "/.well-known/mta-sts.txt", "a.test"),
            request(HttpMethod.GET, "/.well-known/mta-sts.txt", null),
            request(HttpMethod.GET, "/", HOST),
            request(HttpMethod.GET, "/.well-known/mta-sts.txt/", HOST)
        }) {
            FullHttpResponse response = exchange(request);
            assertThat(response.status().code()).isEqualTo(404);
            assertThat(response.headers().contains(HttpHeaderNames.LOCATION)).isFalse();
            assertThat(body(response)).isEqualTo("not found\n");
        }
    }

    @Test
    @DisplayName("other methods on the policy path are 405 with Allow: GET, HEAD; GET /tlsrpt is 405")
    void wrongMethods() {
        FullHttpResponse put = exchange(request(HttpMethod.PUT, "/.well-known/mta-sts.txt", HOST));
        FullHttpResponse get = exchange(request(HttpMethod.GET, "/tlsrpt", HOST));

        assertThat(put.status().code()).isEqualTo(405);
        assertThat(put.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        assertThat(get.status().code()).isEqualTo(405);
        assertThat(get.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
        put.release();
        get.release();
    }

    @Test
    @DisplayName("RFC 8460 §3: a posted report goes to the intake as HTTPS, without submitter or DKIM; 200")
    void postedReportIsAccepted() {
        FullHttpResponse response = exchange(post(HOST, "application/tlsrpt+json", "{\"report-id\":\"x\"}"));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("received\n");
        assertThat(intake.calls).singleElement().satisfies(call -> {
            assertThat(new String(call.body(), StandardCharsets.UTF_8)).isEqualTo("{\"report-id\":\"x\"}");
            assertThat(call.mediaType()).isEqualTo("application/tlsrpt+json");
            assertThat(call.origin()).isEqualTo(Origin.HTTPS);
            assertThat(call.submitter()).isEqualTo(Optional.empty());
            assertThat(call.dkim()).isEqualTo(DkimCheck.NOT_MAIL);
        });
        assertThat(count("report", "200")).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8460 §4.4: a report stored before is answered 200 as well")
    void duplicateIsAccepted() {
        intake.answer(FakeIntake.accepted(true));

        FullHttpResponse response = exchange(post(HOST, "application/tlsrpt+gzip", "x"));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("already received\n");
    }

    @Test
    @DisplayName("RFC 8460 §6.4, §6.5: a post without Content-Type is 415 and never reaches the intake")
    void missingContentTypeIs415() {
        FullHttpResponse response = exchange(post(HOST, null, "{}"));

        assertThat(response.status().code()).isEqualTo(415);
        assertThat(body(response)).contains("application/tlsrpt+gzip");
        assertThat(intake.calls).isEmpty();
    }

    @Test
    @DisplayName("refusals of the intake are answered with their status and reason")
    void refusalsCarryTheirStatus() {
        for (IntakeResult.Refusal refusal : IntakeResult.Refusal.values()) {
            intake.answer(new IntakeResult.Refused(refusal, "because " + refusal));

            FullHttpResponse response = exchange(post(HOST, "application/tlsrpt+json", "{}"));

            assertThat(response.status().code()).isEqualTo(refusal.httpStatus());
            assertThat(body(response)).isEqualTo("because " + refusal + "\n");
        }
        assertThat(count("report", "503")).isEqualTo(1);
    }

    @Test
    @DisplayName("a post to a host that is not a loaded domain's is 404")
    void postToUnknownHost() {
        FullHttpResponse response = exchange(post("mta-sts.other.test", "application/tlsrpt+json", "{}"));

        assertThat(response.status().code()).isEqualTo(404);
        assertThat(intake.calls).isEmpty();
        response.release();
    }

    @Test
    @DisplayName("RFC 9112 §9.3.2: a request pipelined behind a post waiting on the intake is answered after it")
    void pipelinedAnswersKeepTheirOrder() {
        channel.writeInbound(post(HOST, "application/tlsrpt+json", "{}"));
        channel.writeInbound(request(HttpMethod.GET, "/.well-known/mta-sts.txt", HOST));
        channel.runPendingTasks();

        assertThat((Object) channel.readOutbound()).isNull();

        runIntake();
        FullHttpResponse first = channel.readOutbound();
        FullHttpResponse second = channel.readOutbound();
        assertThat(body(first)).isEqualTo("received\n");
        assertThat(body(second)).isEqualTo(SiteFixture.POLICY_A);
    }

    @Test
    @DisplayName("Connection: close is honoured: the channel closes after the answer")
    void connectionClose() {
        FullHttpRequest request = request(HttpMethod.GET, "/.well-known/mta-sts.txt", HOST);
        request.headers().set(HttpHeaderNames.CONNECTION, "close");

        FullHttpResponse response = exchange(request);

        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
        response.release();
    }

    @Test
    @DisplayName("a body over the report size cap is 413 and the connection is closed")
    void oversizedBodyIs413() {
        EmbeddedChannel wire = new EmbeddedChannel(
                new HttpServerCodec(),
                new ReportAggregator(16, reports),
                new OwnerHttpHandler(() -> site, reports, metrics));
        String request = "POST /tlsrpt HTTP/1.1\r\nHost: " + HOST
                + "\r\nContent-Type: application/tlsrpt+json\r\nContent-Length: 17\r\n\r\n{\"abcdefghijklm\"}";

        wire.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        wire.runPendingTasks();

        ByteBuf out = wire.readOutbound();
        String answer = out.toString(StandardCharsets.US_ASCII);
        out.release();
        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("larger than the limit of 16 bytes");
        assertThat(wire.isOpen()).isFalse();
        assertThat(intake.calls).isEmpty();
        assertThat(count("report", "413")).isEqualTo(1);
        wire.finishAndReleaseAll();
    }

    @Test
    @DisplayName("a request line over the bound is 400 and closes")
    void overlongRequestLineIs400() {
        EmbeddedChannel wire = new EmbeddedChannel(
                new HttpServerCodec(64, 256, 256),
                new ReportAggregator(16, reports),
                new OwnerHttpHandler(() -> site, reports, metrics));
        String request = "GET /" + "x".repeat(200) + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";

        wire.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        wire.runPendingTasks();

        ByteBuf out = wire.readOutbound();
        String answer = out.toString(StandardCharsets.US_ASCII);
        out.release();
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(wire.isOpen()).isFalse();
        wire.finishAndReleaseAll();
    }

    private EmbeddedChannel wire(Semaphore slots) {
        return new EmbeddedChannel(
                new HttpServerCodec(),
                new PostLimit(slots, reports),
                new ReportAggregator(1024, reports),
                new OwnerHttpHandler(() -> site, reports, metrics));
    }

    private static String postBytes() {
        return "POST /tlsrpt HTTP/1.1\r\nHost: " + HOST
                + "\r\nContent-Type: application/tlsrpt+json\r\nContent-Length: 2\r\n\r\n{}";
    }

    private static String readAnswer(EmbeddedChannel wire) {
        ByteBuf out = wire.readOutbound();
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }

    @Test
    @DisplayName("posts in progress are bounded across connections: past the slots, 503 and close; slots come back")
    void postSlotsBoundBodiesInMemory() {
        Semaphore slots = new Semaphore(1);
        EmbeddedChannel first = wire(slots);
        EmbeddedChannel second = wire(slots);

        first.writeInbound(Unpooled.copiedBuffer(postBytes(), StandardCharsets.US_ASCII));
        first.runPendingTasks();
        second.writeInbound(Unpooled.copiedBuffer(postBytes(), StandardCharsets.US_ASCII));
        second.runPendingTasks();

        assertThat(readAnswer(second)).startsWith("HTTP/1.1 503 ").contains("too many reports at once");
        assertThat(second.isOpen()).isFalse();
        assertThat(slots.availablePermits()).isZero();

        while (!intakeTasks.isEmpty()) {
            intakeTasks.poll().run();
        }
        first.runPendingTasks();
        assertThat(readAnswer(first)).startsWith("HTTP/1.1 200 ");
        assertThat(slots.availablePermits()).isEqualTo(1);

        first.writeInbound(Unpooled.copiedBuffer(postBytes(), StandardCharsets.US_ASCII));
        first.close();
        assertThat(slots.availablePermits())
                .as("a client that leaves gives its slot back")
                .isEqualTo(1);
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @Test
    @DisplayName("an Expect: 100-continue post announcing more than the cap is 413 before its body, and closes")
    void oversizedExpectContinueIs413() {
        EmbeddedChannel wire = wire(new Semaphore(1));
        String request = "POST /tlsrpt HTTP/1.1\r\nHost: " + HOST
                + "\r\nContent-Type: application/tlsrpt+gzip\r\nExpect: 100-continue\r\nContent-Length: 4096\r\n\r\n";

        wire.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        wire.runPendingTasks();

        assertThat(readAnswer(wire)).startsWith("HTTP/1.1 413 ").contains("larger than the limit of 1024 bytes");
        assertThat(wire.isOpen()).isFalse();
        assertThat(intake.calls).isEmpty();
        wire.finishAndReleaseAll();
    }
}
