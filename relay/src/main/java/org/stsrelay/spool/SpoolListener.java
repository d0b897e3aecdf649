package org.stsrelay.spool;

import java.util.List;

/**
 * Told by the spool's writer thread when a message becomes durable and when one leaves the spool
 * (finished, or deleted by an operator). Must return quickly and never block: it runs on the writer.
 */
public interface SpoolListener {

    /** A listener that ignores everything. */
    SpoolListener NONE = new SpoolListener() {
        @Override
        public void committed(List<SpooledMessage> messages) {}

        @Override
        public void finished(QueueId id) {}
    };

    /** The messages, one write's worth in the order written, are durable and held. */
    void committed(List<SpooledMessage> messages);

    /** The message's DONE record is durable: it left the spool. */
    void finished(QueueId id);
}
