package org.stsrelay.received;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.stsrelay.config.ReceivedConfig;
import org.stsrelay.received.IntakeResult.Refusal;
import org.stsrelay.received.IntakeResult.Refused;

/**
 * Checks a report body's media type and size, and inflates a gzipped body up to the expanded-size cap, never past
 * it: a decompression bomb is refused after at most that many bytes were produced.
 */
final class BodyDecoder {

    /** RFC 8460 §6.4: the media type of a gzip-compressed report. */
    static final String GZIP = "application/tlsrpt+gzip";

    /** RFC 8460 §6.5: the media type of an uncompressed report. */
    static final String JSON = "application/tlsrpt+json";

    private static final int CHUNK = 16 * 1024;

    private final long maxReportSize;
    private final long maxExpandedSize;

    BodyDecoder(ReceivedConfig config) {
        this.maxReportSize = config.maxReportSize();
        this.maxExpandedSize = config.maxExpandedSize();
    }

    /** Decodes {@code body} sent as {@code mediaType}; parameters such as {@code charset} are ignored. */
    DecodedBody decode(byte[] body, String mediaType) {
        String type = essence(mediaType);
        if (!type.equals(GZIP) && !type.equals(JSON)) {
            return failed(
                    Refusal.MEDIA_TYPE,
                    "media type \"" + type + "\" is neither " + GZIP + " nor " + JSON + " (RFC 8460 §6.4, §6.5)");
        }
        if (body.length > maxReportSize) {
            return failed(Refusal.TOO_LARGE, "report of " + body.length + " bytes is over the cap of " + maxReportSize);
        }
        if (type.equals(JSON)) {
            return body.length > maxExpandedSize
                    ? failed(Refusal.TOO_LARGE, "report is over the cap of " + maxExpandedSize + " bytes")
                    : new DecodedBody.Json(body);
        }
        return inflate(body);
    }

    /** The media type without parameters, lower case. */
    static String essence(String mediaType) {
        String type = mediaType == null ? "" : mediaType;
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private DecodedBody inflate(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), CHUNK)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK * 4);
            byte[] chunk = new byte[CHUNK];
            long total = 0;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                total += n;
                if (total > maxExpandedSize) {
                    return failed(
                            Refusal.TOO_LARGE, "gzipped report expands past the cap of " + maxExpandedSize + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return new DecodedBody.Json(out.toByteArray());
        } catch (EOFException e) {
            return failed(Refusal.MALFORMED, "gzip data is truncated");
        } catch (ZipException e) {
            return failed(Refusal.MALFORMED, "gzip data is broken: " + e.getMessage());
        } catch (IOException e) {
            return failed(Refusal.MALFORMED, "gzip data could not be read: " + e.getMessage());
        }
    }

    private static DecodedBody failed(Refusal refusal, String reason) {
        return new DecodedBody.Failed(new Refused(refusal, reason));
    }
}
