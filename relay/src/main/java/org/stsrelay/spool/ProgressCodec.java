package org.stsrelay.spool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The header of a PROGRESS record: a version octet, the queue id, a flags octet, then the complete
 * state of every recipient. Whole states rather than changes, so the latest record alone is the
 * truth and carrying it to a newer segment is copying one record.
 */
final class ProgressCodec {

    static final int VERSION = 1;
    private static final int FLAG_DELAY_NOTICE_SENT = 1;
    private static final int MAX_STRING = 64 * 1024;
    private static final int MAX_RECIPIENTS = 1_000_000;

    /** A decoded PROGRESS header. */
    record Progress(QueueId id, DeliveryState state) {}

    private ProgressCodec() {}

    static byte[] encode(QueueId id, DeliveryState state) {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(64 + 32 * state.recipients().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.write(id.value().getBytes(StandardCharsets.US_ASCII));
            out.writeByte(state.delayNoticeSent() ? FLAG_DELAY_NOTICE_SENT : 0);
            out.writeInt(state.recipients().size());
            for (RecipientState recipient : state.recipients()) {
                writeString(out, recipient.status().name());
                out.writeInt(recipient.attempts());
                out.writeBoolean(recipient.nextAttempt().isPresent());
                if (recipient.nextAttempt().isPresent()) {
                    out.writeLong(recipient.nextAttempt().get().getEpochSecond());
                    out.writeInt(recipient.nextAttempt().get().getNano());
                }
                out.writeBoolean(recipient.lastResult().isPresent());
                if (recipient.lastResult().isPresent()) {
                    writeString(out, recipient.lastResult().get());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    static Progress decode(byte[] header) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(header));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new SpoolException("progress format version " + version + " is not known to this relay;"
                    + " the spool was written by a newer version");
        }
        try {
            byte[] id = new byte[16];
            in.readFully(id);
            QueueId queueId = new QueueId(new String(id, StandardCharsets.US_ASCII));
            boolean delayNoticeSent = (in.readUnsignedByte() & FLAG_DELAY_NOTICE_SENT) != 0;
            int count = in.readInt();
            // A count beyond the octets left cannot be real; checked before it sizes a list.
            if (count < 1 || count > MAX_RECIPIENTS || count > in.available()) {
                throw new IOException("bad recipient count " + count);
            }
            List<RecipientState> recipients = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                recipients.add(readRecipient(in));
            }
            return new Progress(queueId, new DeliveryState(recipients, delayNoticeSent));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            // ArithmeticException: Instant.ofEpochSecond overflows when seconds and nanoseconds add up past a long.
            throw new IOException("bad progress record: " + e.getMessage(), e);
        }
    }

    private static RecipientState readRecipient(DataInputStream in) throws IOException {
        RecipientState.Status status = RecipientState.Status.valueOf(readString(in));
        int attempts = in.readInt();
        Optional<Instant> next =
                in.readBoolean() ? Optional.of(Instant.ofEpochSecond(in.readLong(), in.readInt())) : Optional.empty();
        Optional<String> last = in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
        return new RecipientState(status, attempts, next, last);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        // A length beyond the octets left is corrupt; checked before it sizes an array.
        if (length < 0 || length > MAX_STRING || length > in.available()) {
            throw new IOException("bad string length " + length);
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
