package org.stsrelay.e2e;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * An RFC 8460 §5.4 https rua on loopback: records every POST and, unless told otherwise, answers 500 to the first
 * so that the relay's handling of a failing destination is exercised, 200 afterwards.
 */
final class HttpsReportReceiver implements AutoCloseable {

    /** One request as received. */
    record Post(String method, String path, String contentType, byte[] body, Instant at) {}

    private final HttpsServer server;
    private final ExecutorService executor;
    private final List<Post> posts = new CopyOnWriteArrayList<>();

    private HttpsReportReceiver(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static HttpsReportReceiver start(InetSocketAddress address, SSLContext tls, String path) {
        return start(address, tls, path, true);
    }

    /** As {@link #start(InetSocketAddress, SSLContext, String)}; {@code failFirst} false answers 200 to every POST. */
    static HttpsReportReceiver start(InetSocketAddress address, SSLContext tls, String path, boolean failFirst) {
        try {
            HttpsServer server = HttpsServer.create(address, 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            ExecutorService executor = Executors.newSingleThreadExecutor();
            HttpsReportReceiver receiver = new HttpsReportReceiver(server, executor);
            server.createContext(path, exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                receiver.posts.add(new Post(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        body,
                        Instant.now()));
                int status = failFirst && receiver.posts.size() == 1 ? 500 : 200;
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.setExecutor(executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
