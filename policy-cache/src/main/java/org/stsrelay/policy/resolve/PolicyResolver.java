package org.stsrelay.policy.resolve;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.StsRecordParser;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.fetch.FetchResult;
import org.stsrelay.policy.fetch.PolicyFetcher;

/** Discovers, fetches and parses MTA-STS policies without caching: the steps the cache and {@code check} share. */
public final class PolicyResolver {

    private final DnsClient dns;
    private final PolicyFetcher fetcher;
    private final Clock clock;

    /** Creates a resolver over a DNS client and a fetcher; {@code clock} stamps fetched policies. */
    public PolicyResolver(DnsClient dns, PolicyFetcher fetcher, Clock clock) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** Looks up and validates the {@code _mta-sts} TXT record of a normalised policy domain (RFC 8461 §3.1). */
    public CompletionStage<Discovery> discover(String domain) {
        String name = "_mta-sts." + domain;
        return dns.txt(name)
                .thenApply(answer -> interpret(name, answer))
                .exceptionally(error -> new Discovery.Unavailable(
                        NoPolicyCause.DNS_FAILURE, "TXT lookup of " + name + " failed: " + error, List.of()));
    }

    private static Discovery interpret(String name, DnsResult<String> answer) {
        if (answer instanceof DnsResult.Failure<String>) {
            return new Discovery.Unavailable(NoPolicyCause.DNS_FAILURE, answer.describe(), List.of());
        }
        List<String> all = answer.valuesOrEmpty();
        // RFC 8461 §3.1: records that do not begin with "v=STSv1;" are discarded before counting.
        List<String> sts = all.stream().filter(StsRecordParser::isStsRecord).toList();
        if (sts.isEmpty()) {
            String why = all.isEmpty() ? answer.describe() : "no TXT record at " + name + " begins with v=STSv1;";
            return new Discovery.Unavailable(NoPolicyCause.NO_RECORD, why, all);
        }
        if (sts.size() > 1) {
            return new Discovery.Unavailable(
                    NoPolicyCause.SEVERAL_RECORDS,
                    sts.size() + " v=STSv1 records at " + name + "; exactly one is required",
                    all);
        }
        StsRecordParser.Result parsed = StsRecordParser.parse(sts.get(0));
        if (parsed instanceof StsRecordParser.Result.Valid valid) {
            return new Discovery.Discovered(valid.record(), all);
        }
        return new Discovery.Unavailable(
                NoPolicyCause.INVALID_RECORD,
                "the " + name + " record is invalid: " + ((StsRecordParser.Result.Invalid) parsed).reason(),
                all);
    }

    /** Fetches and parses the policy of a normalised domain, stamping it with the TXT {@code id} it is for. */
    public CompletionStage<Retrieval> retrieve(String domain, String id) {
        return fetcher.fetch(domain).thenApply(result -> {
            if (result instanceof FetchResult.Failed failed) {
                return (Retrieval) new Retrieval.NotRetrieved(failed.resultType(), failed.detail(), failed.info());
            }
            FetchResult.Fetched fetched = (FetchResult.Fetched) result;
            ParseResult parsed = PolicyParser.parse(fetched.body());
            if (parsed instanceof ParseResult.Valid valid) {
                return new Retrieval.Retrieved(
                        new Policy(domain, id, valid.document(), clock.instant()), fetched.info());
            }
            return new Retrieval.NotRetrieved(
                    ResultType.STS_POLICY_INVALID,
                    "the policy is invalid: " + ((ParseResult.Invalid) parsed).reason(),
                    fetched.info());
        });
    }

    /** Runs every step for {@code domain} and keeps each observation, for a diagnosis; nothing is cached. */
    public CompletionStage<Optional<Diagnosis>> diagnose(String domain) {
        Optional<String> normal = DomainNames.normalize(domain);
        if (normal.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String name = normal.get();
        return discover(name)
                .thenCombine(
                        fetcher.fetch(name),
                        (discovery, fetch) -> Optional.of(new Diagnosis(
                                name,
                                discovery,
                                fetch,
                                fetch instanceof FetchResult.Fetched fetched
                                        ? PolicyParser.parse(fetched.body())
                                        : null)));
    }
}
