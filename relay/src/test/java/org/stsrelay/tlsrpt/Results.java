package org.stsrelay.tlsrpt;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultType;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;

/** TLS results as delivery produces them, for the TLS-RPT tests. */
final class Results {

    static final String POLICY_TEXT = "version: STSv1\r\nmode: enforce\r\nmx: mail.company-y.example\r\n"
            + "mx: *.mail.company-y.example\r\nmax_age: 86400\r\n";

    private Results() {}

    static Policy policy(String domain) {
        ParseResult.Valid valid = (ParseResult.Valid) PolicyParser.parse(POLICY_TEXT);
        return new Policy(domain, "20240101T000000", valid.document(), Instant.parse("2024-01-01T00:00:00Z"));
    }

    static TlsResult success(String at, String domain) {
        return new TlsResult(
                Instant.parse(at),
                domain,
                Optional.of(policy(domain)),
                Optional.of("mx1.mail.company-y.example"),
                Optional.of("203.0.113.56"),
                Optional.of("mx1.mail.company-y.example"),
                Optional.of("198.51.100.62"),
                Optional.empty());
    }

    static TlsResult failure(String at, String domain, TlsResultType type, String mx, String ip, String reason) {
        return new TlsResult(
                Instant.parse(at),
                domain,
                Optional.of(policy(domain)),
                Optional.of(mx),
                Optional.of(ip),
                Optional.empty(),
                Optional.of("198.51.100.62"),
                Optional.of(new TlsResult.Failure(type, reason)));
    }

    static TlsResult fetchError(String at, String domain) {
        return new TlsResult(
                Instant.parse(at),
                domain,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new TlsResult.Failure(TlsResultType.STS_POLICY_FETCH_ERROR, "HTTP 404")));
    }

    static TlsResult noPolicy(String at, String domain) {
        return new TlsResult(
                Instant.parse(at),
                domain,
                Optional.empty(),
                Optional.of("mx." + domain),
                Optional.of("192.0.2.7"),
                Optional.empty(),
                Optional.of("198.51.100.62"),
                Optional.empty());
    }

    /** A DANE session at {@code mx}, reported under the TLSA base domain {@code mx} (RFC 8460 §1.3). */
    static TlsResult dane(String at, String mx, List<String> records, Optional<TlsResult.Failure> failure) {
        return new TlsResult(
                Instant.parse(at),
                mx,
                Optional.empty(),
                Optional.of(mx),
                Optional.of("192.0.2.25"),
                Optional.of(mx),
                Optional.of("198.51.100.62"),
                failure,
                Optional.of(records));
    }
}
