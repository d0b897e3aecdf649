package org.stsrelay.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.stsrelay.support.PemFiles;
import org.stsrelay.support.TrustStores;

/**
 * A one-request HTTPS/1.1 client for the owner site, as a sender reaches it: the host name {@code mta-sts.<domain>}
 * as SNI and in {@code Host}, the certificate validated for that name against the world's CA, but the connection
 * made to a given address, because the world's names are not in the JVM's resolver.
 */
final class OwnerSiteClient {

    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int MAX_RESPONSE = 1 << 20;

    private final SSLContext context;
    private final InetSocketAddress address;
    private final String host;

    private OwnerSiteClient(SSLContext context, InetSocketAddress address, String host) {
        this.context = context;
        this.address = address;
        this.host = host;
    }

    /** A client for {@code https://host:port} served at {@code address}, trusting the CAs in {@code caFile}. */
    static OwnerSiteClient to(String host, InetAddress address, int port, Path caFile)
            throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {TrustStores.pkix(PemFiles.certificates(caFile))}, new SecureRandom());
        return new OwnerSiteClient(context, new InetSocketAddress(address, port), host);
    }

    /** What the server answered. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    /** {@code GET path}. */
    Response get(String path) throws IOException {
        return exchange("GET", path, Map.of(), new byte[0]);
    }

    /** {@code POST path} with {@code body} of {@code contentType}. */
    Response post(String path, String contentType, byte[] body) throws IOException {
        return exchange("POST", path, Map.of("Content-Type", contentType), body);
    }

    private Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        try (SSLSocket socket = open()) {
            StringBuilder head = new StringBuilder()
                    .append(method)
                    .append(' ')
                    .append(path)
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(host)
                    .append(':')
                    .append(address.getPort())
                    .append("\r\nConnection: close\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
            headers.forEach((name, value) ->
                    head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private SSLSocket open() throws IOException {
        Socket plain = new Socket();
        plain.connect(address, TIMEOUT_MILLIS);
        plain.setSoTimeout(TIMEOUT_MILLIS);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, address.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        // RFC 8461 §3.3: the policy host's certificate must be valid for mta-sts.<domain>, as a sender checks it.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(host)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) != -1; ) {
            bytes.write(buffer, 0, n);
            if (bytes.size() > MAX_RESPONSE) {
                throw new IOException("response over " + MAX_RESPONSE + " bytes");
            }
        }
        return bytes.toByteArray();
    }

    // Connection: close, so the body is what follows the head, bounded by Content-Length when the server sends one.
    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response head: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        int start = end + 4;
        int length = headers.containsKey("content-length")
                ? Integer.parseInt(headers.get("content-length"))
                : raw.length - start;
        byte[] body = new byte[length];
        System.arraycopy(raw, start, body, 0, length);
        return new Response(Integer.parseInt(statusLine[1]), headers, body);
    }
}
