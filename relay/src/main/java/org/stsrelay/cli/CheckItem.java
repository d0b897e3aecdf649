package org.stsrelay.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finding of a {@code check}.
 *
 * @param verdict how it stands
 * @param topic what was checked, a stable key for scripts: mta-sts-txt, policy-fetch, policy-syntax, mx, dnssec,
 *     dane-mx, dane-addresses, dane-tlsa, dane-rollover, tls-rpt, mx-tls, dane-match
 * @param summary one sentence in plain words
 * @param facts what was observed, in the order shown; values are strings, numbers or lists of strings
 */
record CheckItem(CheckVerdict verdict, String topic, String summary, Map<String, Object> facts) {

    CheckItem {
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    static CheckItem of(CheckVerdict verdict, String topic, String summary) {
        return new CheckItem(verdict, topic, summary, Map.of());
    }
}
