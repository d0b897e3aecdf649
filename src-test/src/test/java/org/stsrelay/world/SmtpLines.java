package org.stsrelay.world;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** CRLF-terminated lines over one socket, buffered both ways; replaced by a new instance after STARTTLS. */
final class SmtpLines {

    private final InputStream in;
    private final OutputStream out;

    SmtpLines(Socket socket) throws IOException {
        this.in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    /** The next line with its CRLF (or bare LF), or null at end of stream. */
    byte[] readRaw() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toByteArray();
            }
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
    }

    /** The next line without its line end; throws EOFException at end of stream. */
    String read() throws IOException {
        byte[] raw = readRaw();
        if (raw == null) {
            throw new EOFException("connection closed");
        }
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
            end--;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }

    /** Writes a line; flushes only when the peer has sent nothing more, so pipelined replies go in one write. */
    void write(String line) throws IOException {
        writeRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        if (in.available() == 0) {
            out.flush();
        }
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void flush() throws IOException {
        out.flush();
    }
}
