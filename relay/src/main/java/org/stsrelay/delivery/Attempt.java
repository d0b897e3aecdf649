package org.stsrelay.delivery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.stsrelay.delivery.RecipientResult.Outcome;
import org.stsrelay.policy.Policy;

/**
 * What one delivery attempt has seen so far, MX after MX: the TLS results, the refusals and the connection
 * failures that explain a deferral. Used by one attempt's continuations, one after another.
 */
final class Attempt {

    private static final int MAX_REASON = 300;

    final DeliveryRequest request;
    final AppliedPolicy policy;
    final AppliedDane dane;
    private final List<TlsResult> tlsResults = new ArrayList<>();
    private final Set<String> tried = new LinkedHashSet<>();
    private final List<String> unreachable = new ArrayList<>();
    private String lastRefusal;
    private String lastMx = "-";
    private String lastIp = "-";
    private String tls = "none";
    private String result = "-";
    /** A message went over a connection MTA-STS judged: the attempt reached a session under its policy. */
    private boolean transferred;
    /** The last thing that happened was a policy refusal, whose log line already says how the attempt ended. */
    private boolean endedInRefusal;

    Attempt(DeliveryRequest request, AppliedPolicy policy, AppliedDane dane) {
        this.request = request;
        this.policy = policy;
        this.dane = dane;
        policy.lookupFailure().ifPresent(failure -> result = failure.type().token());
    }

    void tlsResult(TlsResult tlsResult) {
        tlsResults.add(tlsResult);
        sessionResult(tlsResult.failure());
    }

    /** The result of the session in use, for the log line, whether or not it is reported now. */
    void sessionResult(Optional<TlsResult.Failure> failure) {
        result = failure.map(f -> f.type().token()).orElse("success");
    }

    /** What this attempt's sessions are reported under (RFC 8460 §4.4: policy domain and policy). */
    SmtpConnection.ReportScope reportScope() {
        return new SmtpConnection.ReportScope(
                request.domain(), policy.policy().map(Policy::lines).orElse(List.of()));
    }

    /**
     * Whether the attempt met an MX under the domain's MTA-STS policy: a result reported under it, or a message
     * sent over a connection MTA-STS judged. Sessions DANE decided are reported under the TLSA base domain.
     */
    boolean reachedSession() {
        return transferred || tlsResults.stream().anyMatch(r -> r.tlsa().isEmpty());
    }

    /** A message goes to {@code mx} at {@code ip}; {@code underPolicy} unless DANE judged the connection. */
    void contacted(String mx, String ip, boolean underPolicy) {
        transferred |= underPolicy;
        endedInRefusal = false;
        tried.add(mx);
        lastMx = mx;
        lastIp = ip;
    }

    void tls(String described) {
        tls = described;
    }

    /**
     * RFC 8461 §5, RFC 7672 §3.2: {@code by} (MTA-STS enforce, DANE) refused this MX; the reason is what a
     * deferral will say.
     */
    void refused(String by, String mx, String ip, String tlsSeen, TlsResult.Failure failure) {
        tried.add(mx);
        lastRefusal = by + ": " + mx + ": " + failure.reasonCode();
        lastMx = mx;
        lastIp = ip;
        tls = tlsSeen;
        result = failure.type().token();
        endedInRefusal = true;
    }

    /** The deferral a refusal of {@code mx} by {@code by} alone means, as its log line shows it. */
    RecipientResult refusal(String by, String mx, TlsResult.Failure failure) {
        return new RecipientResult(
                request.recipients().get(0),
                Outcome.DEFERRED,
                451,
                "4.7.5",
                shorten(by + ": " + mx + ": " + failure.reasonCode()),
                Optional.of(mx),
                false);
    }

    boolean endedInRefusal() {
        return endedInRefusal;
    }

    void unreachable(String mx, String reason) {
        endedInRefusal = false;
        lastMx = mx;
        lastIp = "-";
        tried.add(mx);
        unreachable.add(mx + " (" + reason + ")");
    }

    List<TlsResult> tlsResults() {
        return List.copyOf(tlsResults);
    }

    String lastMx() {
        return lastMx;
    }

    String lastIp() {
        return lastIp;
    }

    String tlsDescription() {
        return tls;
    }

    String resultToken() {
        return result;
    }

    /** Every MX failed: a policy refusal explains it best (4.7.5), else the connection failures (4.4.1). */
    List<RecipientResult> giveUp() {
        if (lastRefusal != null) {
            String text = lastRefusal;
            if (tried.size() > 1) {
                text += " (MX tried: " + String.join(", ", tried) + ")";
            }
            // RFC 8461 §5, §5.1: a refusal is temporary (4.7.x) until the queue lifetime ends.
            return RecipientResults.all(
                    request.recipients(), Outcome.DEFERRED, 451, "4.7.5", shorten(text), Optional.of(lastMxOr()));
        }
        String text = "no MX reachable: "
                + (unreachable.isEmpty() ? "no MX host has an address" : String.join("; ", unreachable));
        return RecipientResults.all(
                request.recipients(), Outcome.DEFERRED, 451, "4.4.1", shorten(text), Optional.empty());
    }

    private String lastMxOr() {
        return tried.isEmpty() ? lastMx : List.copyOf(tried).get(tried.size() - 1);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 3) + "...";
    }
}
