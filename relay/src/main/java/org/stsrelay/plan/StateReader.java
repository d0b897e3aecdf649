package org.stsrelay.plan;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.fetch.FetchResult;
import org.stsrelay.policy.resolve.Diagnosis;
import org.stsrelay.policy.resolve.Discovery;
import org.stsrelay.policy.resolve.PolicyResolver;
import org.stsrelay.tlsrpt.TlsRptRecordParser;

/** Reads a domain's current MX, MTA-STS and TLS-RPT state with the lookups {@code check} uses; never fails. */
final class StateReader {

    private final PolicyResolver resolver;
    private final DnsClient dns;

    StateReader(PolicyResolver resolver, DnsClient dns) {
        this.resolver = resolver;
        this.dns = dns;
    }

    /** Reads the state of a normalised domain; the lookups run in parallel, and a failed one becomes a note. */
    CompletionStage<CurrentState> read(String domain) {
        CompletableFuture<Optional<Diagnosis>> diagnosis =
                resolver.diagnose(domain).toCompletableFuture().exceptionally(error -> Optional.empty());
        CompletableFuture<DnsResult<MxRecord>> mx = guarded(dns.mx(domain));
        CompletableFuture<DnsResult<String>> tlsRpt = guarded(dns.txt("_smtp._tls." + domain));
        CompletableFuture<DnsResult<String>> sts = guarded(dns.txt("_mta-sts." + domain));
        return CompletableFuture.allOf(diagnosis, mx, tlsRpt, sts).thenApply(all -> {
            List<String> notes = new ArrayList<>();
            List<MxRecord> hosts = mxHosts(domain, mx.join(), notes);
            Optional<Diagnosis> d = diagnosis.join();
            if (d.isEmpty()) {
                notes.add("the MTA-STS state of " + domain + " could not be read");
            }
            Optional<String> id = d.flatMap(found -> id(found.discovery(), notes));
            Optional<PolicyDocument> policy = d.flatMap(found -> policy(found, notes));
            return new CurrentState(
                    hosts, id, delegation(domain, sts.join()), policy, rua(domain, tlsRpt.join(), notes), notes);
        });
    }

    private static List<MxRecord> mxHosts(String domain, DnsResult<MxRecord> answer, List<String> notes) {
        if (answer instanceof DnsResult.Failure<MxRecord> || answer instanceof DnsResult.NxDomain<MxRecord>) {
            notes.add("MX records of " + domain + " could not be read: " + answer.describe());
            return List.of();
        }
        List<MxRecord> hosts = new ArrayList<>(answer.valuesOrEmpty());
        if (hosts.isEmpty()) {
            // RFC 5321 §5.1: without MX records the domain itself is the implicit MX.
            notes.add("no MX record: mail goes to " + domain + " itself (implicit MX, RFC 5321 §5.1)");
            return List.of(new MxRecord(0, domain));
        }
        // RFC 7505 §3: a null MX (preference 0, host ".") says the domain accepts no mail.
        if (hosts.stream().anyMatch(h -> h.host().isEmpty() || h.host().equals("."))) {
            notes.add(domain + " has a null MX (RFC 7505): it accepts no mail, so there is no MX host to name");
            return List.of();
        }
        hosts.sort(Comparator.comparingInt(MxRecord::preference));
        return hosts;
    }

    // RFC 8461 §3.1: only exactly one valid v=STSv1 record carries an id that senders compare.
    private static Optional<String> id(Discovery discovery, List<String> notes) {
        if (discovery instanceof Discovery.Discovered found) {
            return Optional.of(found.record().id());
        }
        Discovery.Unavailable none = (Discovery.Unavailable) discovery;
        if (none.cause() != NoPolicyCause.NO_RECORD) {
            notes.add("the current _mta-sts record gives senders no policy: " + none.reason()
                    + "; replace every v=STSv1 record with the one below");
        }
        return Optional.empty();
    }

    // RFC 8461 §8.2: a CNAME at _mta-sts.<domain> delegates the record, and so the id, to a provider.
    private static Optional<String> delegation(String domain, DnsResult<String> answer) {
        if (answer instanceof DnsResult.Records<String> records
                && !records.canonicalName().equalsIgnoreCase("_mta-sts." + domain)) {
            return Optional.of(records.canonicalName());
        }
        return Optional.empty();
    }

    private static Optional<PolicyDocument> policy(Diagnosis diagnosis, List<String> notes) {
        if (diagnosis.fetch() instanceof FetchResult.Failed failed) {
            boolean published = diagnosis.discovery() instanceof Discovery.Discovered;
            notes.add((published ? "the policy published now could not be fetched (" : "no policy is served yet (")
                    + failed.resultType().token() + "): " + failed.detail());
            return Optional.empty();
        }
        ParseResult parsed = diagnosis.parseResult().orElseThrow();
        if (parsed instanceof ParseResult.Invalid invalid) {
            notes.add("the policy served now is invalid, so senders ignore it: " + invalid.reason());
            return Optional.empty();
        }
        return Optional.of(((ParseResult.Valid) parsed).document());
    }

    private static List<URI> rua(String domain, DnsResult<String> answer, List<String> notes) {
        if (answer instanceof DnsResult.Failure<String>) {
            notes.add("_smtp._tls." + domain + " could not be looked up: " + answer.describe());
            return List.of();
        }
        TlsRptRecordParser.Selection selection = TlsRptRecordParser.select(answer.valuesOrEmpty());
        if (selection instanceof TlsRptRecordParser.Selection.Found found) {
            if (!found.record().skipped().isEmpty()) {
                notes.add("the current TLS-RPT record has unusable rua entries, left out: "
                        + String.join("; ", found.record().skipped()));
            }
            return found.record().rua();
        }
        if (selection instanceof TlsRptRecordParser.Selection.SeveralRecords several) {
            notes.add(several.records().size() + " v=TLSRPTv1 records at _smtp._tls." + domain
                    + ", so senders use none (RFC 8460 §3); replace them with the one below");
        } else if (selection instanceof TlsRptRecordParser.Selection.InvalidRecord invalid) {
            notes.add("the current TLS-RPT record is invalid, so senders ignore it: " + invalid.reason()
                    + "; replace it with the one below");
        }
        return List.of();
    }

    private static <T> CompletableFuture<DnsResult<T>> guarded(CompletionStage<DnsResult<T>> lookup) {
        return lookup.toCompletableFuture().exceptionally(error -> new DnsResult.Failure<>(String.valueOf(error)));
    }
}
