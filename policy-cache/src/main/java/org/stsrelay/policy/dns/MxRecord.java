package org.stsrelay.policy.dns;

/**
 * One MX record.
 *
 * @param preference the preference; lower is tried first
 * @param host the exchange host name, without a trailing dot
 */
public record MxRecord(int preference, String host) {}
