package org.stsrelay.received;

import java.util.Optional;

/**
 * One {@code failure-details} entry of a received report (RFC 8460 §4.4): a kind of failure, where, and how often.
 *
 * @param resultType            the result type (RFC 8460 §4.3), e.g. {@code certificate-expired}
 * @param sendingMtaIp          the sender's address
 * @param receivingMxHostname   the MX host the sender tried
 * @param receivingMxHelo       the name that MX gave in its greeting
 * @param receivingIp           the MX address the sender tried
 * @param failedSessionCount    how many sessions failed so
 * @param additionalInformation a URI the sender gave for more
 * @param failureReasonCode     the sender's own reason text or code
 */
public record ReportedFailure(
        String resultType,
        Optional<String> sendingMtaIp,
        Optional<String> receivingMxHostname,
        Optional<String> receivingMxHelo,
        Optional<String> receivingIp,
        long failedSessionCount,
        Optional<String> additionalInformation,
        Optional<String> failureReasonCode) {}
