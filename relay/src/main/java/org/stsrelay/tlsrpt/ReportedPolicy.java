package org.stsrelay.tlsrpt;

import java.util.List;
import java.util.Objects;

/**
 * The applied policy as a TLS-RPT report names it, and the key results are aggregated under
 * (RFC 8460 §4.4 "policy"; policy-string and mx-host are arrays, see README, Decisions).
 *
 * @param type         {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param policyString sts: the policy file's lines, one element each; tlsa: the TLSA records in presentation
 *                     form (RFC 8460 §4.4); empty for no-policy-found
 * @param mxHost       the policy's mx patterns (an array: erratum 6241); empty for tlsa and no-policy-found
 */
public record ReportedPolicy(PolicyType type, List<String> policyString, List<String> mxHost) {

    /** Copies the lists; a no-policy-found policy carries no lines or patterns. */
    public ReportedPolicy {
        Objects.requireNonNull(type, "type");
        policyString = List.copyOf(policyString);
        mxHost = List.copyOf(mxHost);
        if (type == PolicyType.NO_POLICY_FOUND && (!policyString.isEmpty() || !mxHost.isEmpty())) {
            throw new IllegalArgumentException("no-policy-found carries no policy-string or mx-host");
        }
    }

    /** RFC 8460 §4.4: used "if neither a DANE nor MTA-STS Policy could be found". */
    public static ReportedPolicy noPolicyFound() {
        return new ReportedPolicy(PolicyType.NO_POLICY_FOUND, List.of(), List.of());
    }

    /** The RFC 8460 §4.4 policy types. */
    public enum PolicyType {
        STS("sts"),
        TLSA("tlsa"),
        NO_POLICY_FOUND("no-policy-found");

        private final String token;

        PolicyType(String token) {
            this.token = token;
        }

        /** The RFC 8460 §4.4 {@code policy-type} string, also the metric tag. */
        public String token() {
            return token;
        }

        static PolicyType fromToken(String token) {
            for (PolicyType t : values()) {
                if (t.token.equals(token)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown policy-type: " + token);
        }
    }
}
