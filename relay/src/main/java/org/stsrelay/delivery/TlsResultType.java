package org.stsrelay.delivery;

/** The RFC 8460 §4.3 result types a delivery attempt can produce. */
public enum TlsResultType {
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    VALIDATION_FAILURE("validation-failure"),
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid"),
    TLSA_INVALID("tlsa-invalid"),
    DNSSEC_INVALID("dnssec-invalid"),
    DANE_REQUIRED("dane-required");

    private final String token;

    TlsResultType(String token) {
        this.token = token;
    }

    /** The registered string used in TLS-RPT reports and as a metric tag. */
    public String token() {
        return token;
    }

    /** The type registered as {@code token}, if there is one. */
    public static java.util.Optional<TlsResultType> fromToken(String token) {
        for (TlsResultType type : values()) {
            if (type.token.equals(token)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }
}
