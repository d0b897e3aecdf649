package org.stsrelay.policy;

/** Why a domain has no available policy, in classes coarse enough to tag metrics with. */
public enum NoPolicyCause {
    /** No {@code _mta-sts} TXT record starting with {@code v=STSv1} (NXDOMAIN, NODATA, or none of that form). */
    NO_RECORD,
    /** More than one {@code v=STSv1} record (RFC 8461 §3.1). */
    SEVERAL_RECORDS,
    /** The one record breaks the grammar (RFC 8461 §3.1). */
    INVALID_RECORD,
    /** The TXT lookup failed (SERVFAIL, timeout). */
    DNS_FAILURE,
    /** A valid record exists but the policy could not be fetched or was invalid (RFC 8461 §3.3). */
    FETCH_FAILED,
    /** The name asked about is not a domain name (RFC 8461 §3.4: no MTA-STS for address literals). */
    NOT_A_DOMAIN;

    /** Returns the lower-case tag value used in metrics. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
