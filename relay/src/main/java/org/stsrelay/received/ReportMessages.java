package org.stsrelay.received;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Finds the report in a mailed TLS-RPT message (RFC 8460 §5.3): the part of type {@code application/tlsrpt+gzip}
 * or {@code application/tlsrpt+json}, or, noted as a quirk, a generic type whose file name says it is a report.
 */
final class ReportMessages {

    /** RFC 8460 §5.3: the header naming the domain that submitted the report. */
    static final String SUBMITTER_HEADER = "TLS-Report-Submitter";

    private static final int MAX_PARTS = 100;
    private static final int MAX_DEPTH = 8;

    private final long maxPartSize;

    ReportMessages(long maxPartSize) {
        this.maxPartSize = maxPartSize;
    }

    /** Finds the report part of {@code message}. */
    ReportPart find(byte[] message) {
        Message parsed;
        try {
            DefaultMessageBuilder builder = new DefaultMessageBuilder();
            builder.setMimeEntityConfig(MimeConfig.custom()
                    .setMaxLineLen(100_000)
                    .setMaxHeaderLen(100_000)
                    .setMaxHeaderCount(1_000)
                    .build());
            parsed = builder.parseMessage(new ByteArrayInputStream(message));
        } catch (IOException | RuntimeException e) {
            return new ReportPart.Missing("not a readable message: " + e.getMessage());
        }
        try {
            List<Entity> parts = new ArrayList<>();
            collect(parsed, parts, 0);
            Optional<String> submitter = Optional.ofNullable(parsed.getHeader())
                    .map(h -> h.getField(SUBMITTER_HEADER))
                    .map(Field::getBody)
                    .map(body -> body.replaceAll("\r?\n(?=[ \t])", ""))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty());
            for (Entity part : parts) {
                if (BodyDecoder.essence(part.getMimeType()).equals(BodyDecoder.GZIP)
                        || BodyDecoder.essence(part.getMimeType()).equals(BodyDecoder.JSON)) {
                    return found(part, BodyDecoder.essence(part.getMimeType()), submitter, List.of());
                }
            }
            for (Entity part : parts) {
                Optional<String> byName = byFileName(part.getFilename());
                if (byName.isPresent() && isGeneric(part.getMimeType())) {
                    String note = "report part is " + part.getMimeType() + " named " + part.getFilename() + ", not "
                            + byName.get() + " (RFC 8460 §5.3)";
                    return found(part, byName.get(), submitter, List.of(note));
                }
            }
            return new ReportPart.Missing("no application/tlsrpt+gzip or application/tlsrpt+json part (RFC 8460 §5.3)");
        } finally {
            parsed.dispose();
        }
    }

    private void collect(Entity entity, List<Entity> into, int depth) {
        if (depth > MAX_DEPTH || into.size() >= MAX_PARTS) {
            return;
        }
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                collect(part, into, depth + 1);
            }
        } else if (body instanceof Message nested) {
            collect(nested, into, depth + 1);
        } else if (body instanceof SingleBody) {
            into.add(entity);
        }
    }

    private ReportPart found(Entity part, String mediaType, Optional<String> submitter, List<String> notes) {
        try (InputStream in = ((SingleBody) part.getBody()).getInputStream()) {
            // One byte past the cap is enough for the intake to refuse the part as too large.
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxPartSize + 1));
            return new ReportPart.Found(body, mediaType, submitter, notes);
        } catch (IOException e) {
            return new ReportPart.Missing("the report part could not be decoded: " + e.getMessage());
        }
    }

    /** The media type a report file's name implies, if it names a report. */
    static Optional<String> byFileName(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String name = fileName.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json.gz") || name.endsWith(".gz")) {
            return Optional.of(BodyDecoder.GZIP);
        }
        return name.endsWith(".json") ? Optional.of(BodyDecoder.JSON) : Optional.empty();
    }

    private static boolean isGeneric(String mediaType) {
        String type = BodyDecoder.essence(mediaType);
        return type.equals("application/gzip")
                || type.equals("application/x-gzip")
                || type.equals("application/json")
                || type.equals("application/octet-stream");
    }
}
