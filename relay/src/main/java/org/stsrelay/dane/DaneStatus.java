package org.stsrelay.dane;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** What DNSSEC says about one MX host (RFC 7672 §2.1, §2.2): whether DANE applies, and with which records. */
public sealed interface DaneStatus
        permits DaneStatus.NotApplicable, DaneStatus.Applies, DaneStatus.Bogus, DaneStatus.Unresolved {

    /**
     * DANE does not apply: the MX RRset or the host's addresses are not signed, or there is no secure TLSA
     * RRset (RFC 7672 §2.2). The host is used with pre-DANE TLS (MTA-STS or opportunistic), at {@code addresses}
     * when the lookup already found them.
     */
    record NotApplicable(String reason, Optional<List<InetAddress>> addresses) implements DaneStatus {

        /** Copies the addresses. */
        public NotApplicable {
            addresses = addresses.map(List::copyOf);
        }

        /** DANE does not apply, and the host's addresses were not looked up. */
        public NotApplicable(String reason) {
            this(reason, Optional.empty());
        }
    }

    /**
     * A secure, non-empty TLSA RRset (RFC 7672 §2.2): {@code rrset} is {@link TlsaRrset.Usable} (authenticate)
     * or {@link TlsaRrset.NoneUsable} (encrypt without authentication).
     *
     * @param rrset       the classified records
     * @param identifiers the reference identifiers, the TLSA base domain first (§3.2.2); also the SNI (§8.1)
     * @param addresses   the host's DNSSEC-validated addresses
     */
    record Applies(TlsaRrset rrset, ReferenceIdentifiers identifiers, List<InetAddress> addresses)
            implements DaneStatus {

        /** Copies the addresses; the RRset must have records. */
        public Applies {
            if (rrset instanceof TlsaRrset.NoRecords) {
                throw new IllegalArgumentException("DANE applies only with TLSA records");
            }
            addresses = List.copyOf(addresses);
        }

        /** The TLSA base domain: the TLS-RPT policy domain (RFC 8460 §1.3) and the SNI (RFC 7672 §8.1). */
        public String baseDomain() {
            return identifiers.tlsaBaseDomain();
        }

        /** Every record of the RRset in presentation form, the TLS-RPT policy-string (RFC 8460 §4.4). */
        public List<String> presentation() {
            List<TlsaRecord> all =
                    rrset instanceof TlsaRrset.Usable usable ? usable.all() : ((TlsaRrset.NoneUsable) rrset).all();
            return all.stream().map(TlsaRecord::presentation).toList();
        }
    }

    /**
     * A DNSSEC answer for the host's addresses or TLSA records failed validation: the host is not used, and
     * nothing falls back to MTA-STS, PKIX or plain text (RFC 7672 §2.1.2).
     *
     * @param baseDomain the TLSA base domain whose records could not be trusted
     * @param reason     which answer was bogus, and why
     */
    record Bogus(String baseDomain, String reason) implements DaneStatus {}

    /** A lookup failed (SERVFAIL, timeout): the host is treated as unreachable for now (RFC 7672 §2.1.2). */
    record Unresolved(String reason) implements DaneStatus {}
}
