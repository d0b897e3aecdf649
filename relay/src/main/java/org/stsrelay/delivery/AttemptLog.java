package org.stsrelay.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the one line per delivery attempt that operators and tests grep. */
final class AttemptLog {

    private static final Logger LOG = LoggerFactory.getLogger("org.stsrelay.delivery.Delivery");

    private AttemptLog() {}

    /** One attempt; absent values are written "-". */
    static void attempt(
            String id,
            String domain,
            String mx,
            String ip,
            PolicyMode mode,
            String tls,
            String result,
            RecipientResult outcome) {
        LOG.info(
                "attempt id={} domain={} mx={} ip={} mode={} tls={} result={} outcome={} reply=\"{} {} {}\"",
                id,
                domain,
                mx,
                ip,
                mode.logToken(),
                tls,
                result,
                outcome.outcome().name().toLowerCase(java.util.Locale.ROOT),
                outcome.code(),
                outcome.status(),
                outcome.text().replace('"', '\''));
    }

    /**
     * One line per MX host DANE judged or observed (RFC 7672): the TLSA record that matched, or why none did.
     * {@code enforced} is false in report-only mode, where the line records what DANE would have done.
     */
    static void dane(
            String id,
            String domain,
            String mx,
            String ip,
            String baseDomain,
            boolean enforced,
            String result,
            String detail) {
        LOG.info(
                "dane id={} domain={} mx={} ip={} policy=dane tlsa-base={} enforced={} result={} detail=\"{}\"",
                id,
                domain,
                mx,
                ip,
                baseDomain,
                enforced ? "yes" : "no",
                result,
                detail.replace('"', '\''));
    }
}
