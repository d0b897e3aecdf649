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
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The envelope header of a MESSAGE record: a version octet, then every field in declaration order.
 * Strings are an int length and UTF-8; optionals a presence octet; enums their names, so that
 * reordering an enum never changes what old records mean. Writes version 2; reads versions 1 and 2.
 */
final class EnvelopeCodec {

    /** The version written: version 1 plus the kind of message at the end. */
    static final int VERSION = 2;
    /** The version before the kind field existed; still read, so that an upgrade keeps the queue. */
    static final int VERSION_WITHOUT_KIND = 1;

    private static final int MAX_STRING = 1024 * 1024;
    private static final int MAX_RECIPIENTS = 1_000_000;

    private EnvelopeCodec() {}

    static byte[] encode(Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, envelope.id().value());
            writeString(out, envelope.sender());
            out.writeInt(envelope.recipients().size());
            for (Envelope.Recipient recipient : envelope.recipients()) {
                writeRecipient(out, recipient);
            }
            writeParams(out, envelope.params());
            writeClient(out, envelope.client());
            out.writeLong(envelope.arrival().getEpochSecond());
            out.writeInt(envelope.arrival().getNano());
            writeString(out, envelope.kind().name());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a header; throws when it is not one this version can read. */
    static Envelope decode(byte[] header) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(header));
        int version = in.readUnsignedByte();
        if (version != VERSION && version != VERSION_WITHOUT_KIND) {
            throw new SpoolException("envelope format version " + version + " is not known to this relay;"
                    + " the spool was written by a newer version");
        }
        try {
            QueueId id = new QueueId(readString(in));
            String sender = readString(in);
            int count = in.readInt();
            // A count beyond the octets left cannot be real; checked before it sizes a list.
            if (count < 1 || count > MAX_RECIPIENTS || count > in.available()) {
                throw new IOException("bad recipient count " + count);
            }
            List<Envelope.Recipient> recipients = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                recipients.add(readRecipient(in));
            }
            Envelope.MailParams params = readParams(in);
            Envelope.ClientInfo client = readClient(in);
            Instant arrival = Instant.ofEpochSecond(in.readLong(), in.readInt());
            return new Envelope(id, sender, recipients, params, client, arrival, readKind(in, version));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            // ArithmeticException: Instant.ofEpochSecond overflows when seconds and nanoseconds add up past a long.
            throw new IOException("bad envelope: " + e.getMessage(), e);
        }
    }

    /**
     * A version-1 envelope has no kind. Its message may be a TLS report queued before the upgrade or a
     * client's message carrying the same header fields, and the two cannot be told apart; reading it as
     * ordinary at worst holds an old report to its recipient's policy, and never lets a client's message
     * past one.
     */
    private static Envelope.Kind readKind(DataInputStream in, int version) throws IOException {
        return version == VERSION_WITHOUT_KIND ? Envelope.Kind.ORDINARY : Envelope.Kind.valueOf(readString(in));
    }

    private static void writeRecipient(DataOutputStream out, Envelope.Recipient recipient) throws IOException {
        writeString(out, recipient.address());
        out.writeByte(recipient.notifyOn().size());
        for (Envelope.Notify notify : recipient.notifyOn()) {
            writeString(out, notify.name());
        }
        writeOptional(out, recipient.orcpt());
    }

    private static Envelope.Recipient readRecipient(DataInputStream in) throws IOException {
        String address = readString(in);
        int notifyCount = in.readUnsignedByte();
        Set<Envelope.Notify> notifyOn = EnumSet.noneOf(Envelope.Notify.class);
        for (int i = 0; i < notifyCount; i++) {
            notifyOn.add(Envelope.Notify.valueOf(readString(in)));
        }
        return new Envelope.Recipient(address, notifyOn, readOptional(in));
    }

    private static void writeParams(DataOutputStream out, Envelope.MailParams params) throws IOException {
        writeString(out, params.body().name());
        out.writeBoolean(params.smtpUtf8());
        writeOptional(out, params.ret().map(Enum::name));
        writeOptional(out, params.envid());
        out.writeBoolean(params.requireTls());
        out.writeLong(params.declaredSize());
    }

    private static Envelope.MailParams readParams(DataInputStream in) throws IOException {
        Envelope.Body body = Envelope.Body.valueOf(readString(in));
        boolean smtpUtf8 = in.readBoolean();
        Optional<Envelope.Ret> ret = readOptional(in).map(Envelope.Ret::valueOf);
        Optional<String> envid = readOptional(in);
        boolean requireTls = in.readBoolean();
        long declaredSize = in.readLong();
        return new Envelope.MailParams(body, smtpUtf8, ret, envid, requireTls, declaredSize);
    }

    private static void writeClient(DataOutputStream out, Envelope.ClientInfo client) throws IOException {
        writeString(out, client.address());
        writeString(out, client.helo());
        writeOptional(out, client.tlsProtocol());
        writeOptional(out, client.tlsCipher());
        writeOptional(out, client.authUser());
    }

    private static Envelope.ClientInfo readClient(DataInputStream in) throws IOException {
        return new Envelope.ClientInfo(
                readString(in), readString(in), readOptional(in), readOptional(in), readOptional(in));
    }

    private static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            writeString(out, value.get());
        }
    }

    private static Optional<String> readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
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
