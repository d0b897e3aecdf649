package org.stsrelay.plan;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.tlsrpt.TlsRptRecordParser;

/** Validates the command line of {@code domain plan} into a {@link PlanRequest}, naming the option at fault. */
public final class PlanOptions {

    /** The outcome: a request, or one sentence naming the option and what is wrong with it. */
    public sealed interface Result {
        /** Every option is valid. */
        record Valid(PlanRequest request) implements Result {}

        /** An option is not; {@code message} names it. */
        record Invalid(String message) implements Result {}
    }

    /**
     * The options as typed.
     *
     * @param domain the DOMAIN parameter
     * @param mode --mode, or null
     * @param mx every --mx
     * @param maxAge --max-age, or null
     * @param rua every --rua
     */
    public record Typed(String domain, String mode, List<String> mx, String maxAge, List<String> rua) {
        /** Copies the lists; null lists are empty. */
        public Typed {
            mx = mx == null ? List.of() : List.copyOf(mx);
            rua = rua == null ? List.of() : List.copyOf(rua);
        }
    }

    private PlanOptions() {}

    /** Validates {@code typed}; the owner site only travels along into the request. */
    public static Result validate(Typed typed, PlanRequest.OwnerSite ownerSite) {
        Optional<String> domain = DomainNames.normalize(typed.domain());
        if (domain.isEmpty()) {
            return invalid("DOMAIN: \"" + typed.domain() + "\" is not a domain name");
        }
        Optional<Mode> mode = typed.mode() == null ? Optional.empty() : Mode.fromToken(typed.mode());
        if (typed.mode() != null && mode.isEmpty()) {
            return invalid("--mode: \"" + typed.mode() + "\" is not testing, enforce or none (RFC 8461 §5)");
        }
        Set<MxPattern> mx = new LinkedHashSet<>();
        for (String value : typed.mx()) {
            Optional<MxPattern> pattern = MxPattern.parse(value);
            if (pattern.isEmpty()) {
                return invalid("--mx: \"" + value
                        + "\" is not a host name or \"*.\" and a domain (RFC 8461 §3.2), e.g. mx1.example.com or "
                        + "*.mail.example.com");
            }
            mx.add(pattern.get());
        }
        Optional<Long> maxAge = Optional.empty();
        if (typed.maxAge() != null) {
            maxAge = MaxAgeText.seconds(typed.maxAge());
            if (maxAge.isEmpty() || !MaxAgeText.inRange(maxAge.get())) {
                return invalid("--max-age: \"" + typed.maxAge() + "\" is not a duration from 1 second to "
                        + PolicyParser.MAX_AGE_LIMIT + " seconds (one year, RFC 8461 §3.2); write seconds or a "
                        + "number with s, m, h, d or w, e.g. 86400, 1d, 2w");
            }
        }
        List<URI> rua = new ArrayList<>();
        for (String value : typed.rua()) {
            Optional<String> problem = ruaProblem(value);
            if (problem.isPresent()) {
                return invalid("--rua: " + problem.get());
            }
            URI uri = URI.create(value);
            if (!rua.contains(uri)) {
                rua.add(uri);
            }
        }
        return new Result.Valid(new PlanRequest(domain.get(), mode, List.copyOf(mx), maxAge, rua, ownerSite));
    }

    // RFC 8460 §3: rua is a comma-separated list of mailto: or https: URIs, and ";" ends the field, so a URI
    // carrying either character (or whitespace) would change the record's meaning; RFC 8460 §3 wants them encoded.
    private static Optional<String> ruaProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == ';' || c <= ' ' || c >= 0x7f) {
                return Optional.of("\"" + value + "\" contains \"" + (c <= ' ' ? "whitespace" : String.valueOf(c))
                        + "\"; percent-encode it (RFC 8460 §3: \",\" and \";\" separate the record's parts)");
            }
        }
        if (!value.regionMatches(true, 0, "mailto:", 0, 7) && !value.regionMatches(true, 0, "https:", 0, 6)) {
            return Optional.of("\"" + value + "\" is not a mailto: or https: URI (RFC 8460 §3), e.g. "
                    + "mailto:tlsrpt@example.com or https://mta-sts.example.com/tlsrpt");
        }
        TlsRptRecordParser.Result parsed = TlsRptRecordParser.parse("v=TLSRPTv1; rua=" + value);
        if (parsed instanceof TlsRptRecordParser.Result.Invalid invalid) {
            return Optional.of(invalid.reason());
        }
        return Optional.empty();
    }

    private static Result invalid(String message) {
        return new Result.Invalid(message);
    }
}
