package org.stsrelay.delivery;

/** Where delivery hands each TLS result (TLS-RPT records them; deliveries of reports are never passed). */
public interface TlsResultSink {

    /** Takes one result; must not block. */
    void record(TlsResult result);
}
