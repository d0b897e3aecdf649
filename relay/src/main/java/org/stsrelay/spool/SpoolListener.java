package org.stsrelay.spool;

/**
 * Told by the spool's writer thread when a message becomes durable and when one leaves the spool
 * (finished, or deleted by an operator). Must return quickly and never block: it runs on the writer.
 */
public interface SpoolListener {

    /** A listener that ignores everything. */
    SpoolListener NONE = new SpoolListener() {
        @Override
        public void committed(SpooledMessage message) {}

        @Override
        public void finished(QueueId id) {}
    };

    /** The message is durable and held. */
    void committed(SpooledMessage message);

    /** The message's DONE record is durable: it left the spool. */
    void finished(QueueId id);
}
