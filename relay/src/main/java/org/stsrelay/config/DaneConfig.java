package org.stsrelay.config;

/**
 * The {@code dane} section: whether DANE (RFC 7672) decides for MX hosts with DNSSEC-signed TLSA records.
 *
 * @param mode enabled: DANE authenticates and refuses; report-only: DANE's verdict is recorded and reported,
 *             and delivery goes on as without DANE; off: no TLSA lookups
 */
public record DaneConfig(Mode mode) {

    /** The relay-wide DANE switch. */
    public enum Mode {
        ENABLED,
        REPORT_ONLY,
        OFF
    }

    /** The default: DANE enabled. */
    public static final DaneConfig DEFAULT = new DaneConfig(Mode.ENABLED);
}
