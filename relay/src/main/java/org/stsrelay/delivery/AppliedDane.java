package org.stsrelay.delivery;

import java.util.Optional;
import org.stsrelay.config.DaneConfig;
import org.stsrelay.config.DeliveryConfig.DaneOverride;

/**
 * How DANE applies to one delivery attempt of one domain, after the relay-wide mode and the domain's override.
 *
 * @param lookups   whether the MX RRset's DNSSEC status and the hosts' TLSA records are looked up at all
 * @param enforcing whether DANE decides for hosts with TLSA records; otherwise it only reports (report-only)
 * @param required  RFC 7672 §6: every host must be DANE-authenticated, or it is refused with dane-required
 */
record AppliedDane(boolean lookups, boolean enforcing, boolean required) {

    /** Combines the {@code dane.mode} switch with the domain's {@code delivery.overrides.<domain>.dane}. */
    static AppliedDane of(DaneConfig.Mode mode, Optional<DaneOverride> override) {
        if (override.isPresent()) {
            return override.get() == DaneOverride.REQUIRE
                    ? new AppliedDane(true, true, true)
                    : new AppliedDane(false, false, false);
        }
        return switch (mode) {
            case ENABLED -> new AppliedDane(true, true, false);
            case REPORT_ONLY -> new AppliedDane(true, false, false);
            case OFF -> new AppliedDane(false, false, false);
        };
    }
}
