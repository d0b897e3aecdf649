package org.stsrelay.spool;

import java.nio.file.Path;
import java.util.Comparator;

/**
 * A message held in the spool: its envelope and where its content lies.
 *
 * @param envelope      the envelope as committed
 * @param size          the content length in octets
 * @param segment       the segment file holding the content
 * @param contentOffset where the content starts in that file
 */
public record SpooledMessage(Envelope envelope, long size, Path segment, long contentOffset) {

    /**
     * The order messages were committed in: by segment, then by position in it. The messages of a segment
     * share one path, so the path is compared only between segments (a deep queue sorts 100,000 messages).
     */
    public static final Comparator<SpooledMessage> LOG_ORDER = (a, b) -> a.segment == b.segment
            ? Long.compare(a.contentOffset, b.contentOffset)
            : SpooledMessage.BY_PATH.compare(a, b);

    private static final Comparator<SpooledMessage> BY_PATH =
            Comparator.comparing(SpooledMessage::segment).thenComparingLong(SpooledMessage::contentOffset);

    /** The message's queue id. */
    public QueueId id() {
        return envelope.id();
    }
}
