package org.stsrelay.policy.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What was observed during one policy fetch, successful or not; {@code check} shows it step by step.
 *
 * @param url the policy URL
 * @param addresses the addresses the policy host resolved to, in the order tried
 * @param connectedTo the address a connection was made to, if any
 * @param tlsProtocol the negotiated TLS version, if the handshake completed
 * @param certificate the certificate the server presented, if any was seen
 * @param status the HTTP status code, if a response arrived
 * @param contentType the Content-Type header, if present
 * @param redirectLocation the Location header of a 3xx response, never followed
 * @param bodyBytes octets of body read (reading stops at the size limit)
 * @param elapsed time from start to outcome
 */
public record FetchInfo(
        String url,
        List<String> addresses,
        Optional<String> connectedTo,
        Optional<String> tlsProtocol,
        Optional<CertificateInfo> certificate,
        OptionalInt status,
        Optional<String> contentType,
        Optional<String> redirectLocation,
        long bodyBytes,
        Duration elapsed) {

    /** Copies the list. */
    public FetchInfo {
        addresses = List.copyOf(addresses);
    }
}
