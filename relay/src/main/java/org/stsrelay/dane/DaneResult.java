package org.stsrelay.dane;

/** What DANE made of one TLS handshake: authenticated by a record, refused, or encrypted without authentication. */
public sealed interface DaneResult permits DaneResult.Authenticated, DaneResult.Refused, DaneResult.Unauthenticated {

    /** RFC 7672 §3.2: {@code record} matched the presented chain, so the server is authenticated. */
    record Authenticated(TlsaRecord record) implements DaneResult {
    }

    /** RFC 7672 §3.2: no usable record matched; {@code failure} is the closest miss, {@code detail} says why. */
    record Refused(DaneFailure failure, String detail) implements DaneResult {
    }

    /** RFC 7672 §2.2: the RRset had no usable record, so TLS was required but any certificate was accepted. */
    record Unauthenticated(String subject) implements DaneResult {
    }
}
