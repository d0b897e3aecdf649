package org.stsrelay.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Encodes the fixed parts of a log record: the prefix before the header and the trailer after the content. */
final class RecordFormat {

    /** "STSR" in ASCII. */
    static final int MAGIC = 0x53545352;
    /** magic (4) + type (1) + header length (4) + content length (8). */
    static final int PREFIX_SIZE = 17;
    /** content CRC32C (4) + record CRC32C (4). */
    static final int TRAILER_SIZE = 8;
    /** A header larger than this is taken for garbage: an envelope of 1,000 long recipients is far smaller. */
    static final int MAX_HEADER_SIZE = 16 * 1024 * 1024;

    private RecordFormat() {}

    /** The prefix and header of a record, ready to write. */
    static ByteBuffer head(RecordType type, byte[] header, long contentLength) {
        ByteBuffer head = ByteBuffer.allocate(PREFIX_SIZE + header.length);
        head.putInt(MAGIC)
                .put(type.code())
                .putInt(header.length)
                .putLong(contentLength)
                .put(header);
        return head.flip();
    }

    /** The trailer closing a record whose head is {@code head} and whose content has CRC32C {@code contentCrc}. */
    static ByteBuffer trailer(ByteBuffer head, int contentCrc) {
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_SIZE).putInt(contentCrc);
        trailer.putInt(recordCrc(head.duplicate(), contentCrc));
        return trailer.flip();
    }

    /** The record CRC: CRC32C over prefix, header and the content CRC, so it covers the whole record. */
    static int recordCrc(ByteBuffer head, int contentCrc) {
        CRC32C crc = new CRC32C();
        crc.update(head);
        crc.update(ByteBuffer.allocate(4).putInt(contentCrc).flip());
        return (int) crc.getValue();
    }

    /** The header of a DONE record: the queue id in ASCII. */
    static byte[] doneHeader(QueueId id) {
        return id.value().getBytes(StandardCharsets.US_ASCII);
    }

    /** The queue id of a DONE record's header, or null when the header is not one. */
    static QueueId doneId(byte[] header) {
        return QueueId.parseOrNull(new String(header, StandardCharsets.US_ASCII));
    }

    /** Total octets of a record. */
    static long size(int headerLength, long contentLength) {
        return PREFIX_SIZE + (long) headerLength + contentLength + TRAILER_SIZE;
    }
}
