package org.stsrelay.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A record ready to append: head (prefix and header), content (none for DONE and PROGRESS), trailer.
 *
 * @param head    prefix and header
 * @param content the content, or null for a record without one
 * @param trailer content CRC and record CRC
 */
record EncodedRecord(ByteBuffer head, SealedContent content, ByteBuffer trailer) {

    private static final int EMPTY_CRC = (int) new CRC32C().getValue();

    static EncodedRecord message(byte[] envelopeHeader, SealedContent content) {
        ByteBuffer head = RecordFormat.head(RecordType.MESSAGE, envelopeHeader, content.size());
        return new EncodedRecord(head, content, RecordFormat.trailer(head, content.crc()));
    }

    static EncodedRecord done(QueueId id) {
        ByteBuffer head = RecordFormat.head(RecordType.DONE, RecordFormat.doneHeader(id), 0);
        return new EncodedRecord(head, null, RecordFormat.trailer(head, EMPTY_CRC));
    }

    static EncodedRecord progress(byte[] progressHeader) {
        ByteBuffer head = RecordFormat.head(RecordType.PROGRESS, progressHeader, 0);
        return new EncodedRecord(head, null, RecordFormat.trailer(head, EMPTY_CRC));
    }

    long size() {
        return head.remaining() + (content == null ? 0 : content.size()) + trailer.remaining();
    }
}
