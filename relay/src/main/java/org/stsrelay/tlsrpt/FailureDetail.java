package org.stsrelay.tlsrpt;

import java.util.Optional;
import org.stsrelay.delivery.TlsResultType;

/**
 * One {@code failure-details} entry (RFC 8460 §4.4): failed sessions with the same result type, addresses,
 * names and reason. Fields that did not apply (no MX for a policy fetch error) are empty.
 *
 * @param resultType     result-type
 * @param sendingIp      sending-mta-ip
 * @param mxHost         receiving-mx-hostname
 * @param helo           receiving-mx-helo
 * @param receivingIp    receiving-ip
 * @param reasonCode     failure-reason-code
 * @param failedSessions failed-session-count
 */
public record FailureDetail(
        TlsResultType resultType,
        Optional<String> sendingIp,
        Optional<String> mxHost,
        Optional<String> helo,
        Optional<String> receivingIp,
        Optional<String> reasonCode,
        long failedSessions) {}
