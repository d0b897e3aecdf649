package org.stsrelay.dane;

/** What usable TLSA records made of one presented chain: authenticated by a record, or refused. */
public sealed interface DaneResult permits DaneResult.Authenticated, DaneResult.Refused {

    /** RFC 7672 §3.2: {@code record} matched the presented chain, so the server is authenticated. */
    record Authenticated(TlsaRecord record) implements DaneResult {}

    /** RFC 7672 §3.2: no usable record matched; {@code failure} is the closest miss, {@code detail} says why. */
    record Refused(DaneFailure failure, String detail) implements DaneResult {}
}
