package org.stsrelay.tlsrpt;

import java.time.LocalDate;

/**
 * One built RFC 8460 report: the JSON (UTF-8, not yet gzipped) of one policy domain's day, ready for
 * mail or HTTPS delivery.
 *
 * @param policyDomain the policy domain the report is about
 * @param day          the UTC day it covers
 * @param reportId     its report-id, stable across retries (RFC 8460 §4.4; README, Decisions)
 * @param json         the report as UTF-8 JSON; the array is shared, callers do not modify it
 */
public record TlsReport(String policyDomain, LocalDate day, String reportId, byte[] json) {}
