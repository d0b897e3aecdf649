package org.stsrelay.policy;

/** The RFC 8460 §4.3.2.2 result types that a policy discovery or fetch failure maps to. */
public enum ResultType {
    /** The policy could not be retrieved (DNS, connection, timeout, non-200, redirect). */
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    /** The policy host's certificate failed PKIX validation. */
    STS_WEBPKI_INVALID("sts-webpki-invalid"),
    /** The policy was retrieved but is not a valid policy. */
    STS_POLICY_INVALID("sts-policy-invalid");

    private final String token;

    ResultType(String token) {
        this.token = token;
    }

    /** Returns the registered result-type string used in TLS-RPT reports. */
    public String token() {
        return token;
    }
}
