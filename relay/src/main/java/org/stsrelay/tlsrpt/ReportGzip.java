package org.stsrelay.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Compresses report JSON for both transports (RFC 8460 §5.2: reports SHOULD be gzipped). */
public final class ReportGzip {

    private ReportGzip() {}

    /** Returns {@code json} gzipped; the same input always gives the same bytes (the gzip mtime is zero). */
    public static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
