package org.stsrelay.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stsrelay.dane.TlsaRecord;

/**
 * The {@code check} warnings about TLSA records that will not survive the next key or certificate change
 * (RFC 7671 §8: publish the next key's record before switching, keep "current + next" published).
 */
final class CheckDaneRollover {

    private CheckDaneRollover() {}

    /** Warnings from the usable records: a lone DANE-EE(3) record, and DANE-EE(3) records of whole certificates. */
    static List<CheckItem> fromDns(String host, List<TlsaRecord> usable) {
        List<CheckItem> items = new ArrayList<>();
        if (soleDaneEe(usable)) {
            items.add(CheckItem.of(
                    CheckVerdict.WARN,
                    "dane-rollover",
                    host + ": a single DANE-EE(3) record: a key "
                            + "or certificate change breaks delivery unless the next key's record is published first; publish "
                            + "\"3 1 1\" records for the current and the next key, or add a \"2 1 1\" record for the issuing "
                            + "CA (RFC 7671 §8, RFC 7672 §3.1)"));
        }
        usable.stream()
                .filter(r -> r.usage() == TlsaRecord.DANE_EE && r.selector() == TlsaRecord.CERT)
                .forEach(r -> items.add(CheckItem.of(
                        CheckVerdict.WARN,
                        "dane-rollover",
                        host + ": \"3 0 "
                                + r.matchingType()
                                + "\" matches the whole certificate, so it breaks at every renewal, even "
                                + "with the same key; prefer selector 1 (\"3 1 1\", RFC 7671 §8, RFC 7672 §3.1.1)")));
        return items;
    }

    /**
     * Items from a probe's matches: INFO naming the usable records the presented chain did not match (the next
     * key, if all is well), and a WARN when the only usable record matched and it is not a lone DANE-EE(3) record,
     * which {@link #fromDns} already warns about.
     */
    static List<CheckItem> afterProbe(String host, List<TlsaRecord> usable, List<TlsaRecord> matched) {
        if (matched.isEmpty()) {
            return List.of();
        }
        List<CheckItem> items = new ArrayList<>();
        List<TlsaRecord> unmatched =
                usable.stream().filter(r -> !matched.contains(r)).toList();
        if (!unmatched.isEmpty()) {
            items.add(new CheckItem(
                    CheckVerdict.INFO,
                    "dane-rollover",
                    host + ": " + unmatched.size() + " usable "
                            + "record(s) do not match the presented chain: as it should be if they are for the next key or CA, "
                            + "published ahead (RFC 7671 §8)",
                    Map.of(
                            "unmatched records",
                            unmatched.stream().map(TlsaRecord::presentation).toList())));
        }
        if (usable.size() == 1 && !soleDaneEe(usable)) {
            items.add(CheckItem.of(
                    CheckVerdict.WARN,
                    "dane-rollover",
                    host + ": the presented chain matches the only "
                            + "usable record, so no next key is published and a key change breaks delivery; publish the next "
                            + "key's record before switching (RFC 7671 §8, RFC 7672 §3.1)"));
        }
        return items;
    }

    private static boolean soleDaneEe(List<TlsaRecord> usable) {
        return usable.size() == 1 && usable.get(0).usage() == TlsaRecord.DANE_EE;
    }
}
