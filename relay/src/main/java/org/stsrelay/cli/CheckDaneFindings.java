package org.stsrelay.cli;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.stsrelay.dane.TlsaRecord;
import org.stsrelay.dane.TlsaRrset;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.DnssecStatus;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;

/**
 * What {@code check} learned from DNS for DANE (RFC 7672 §2.2): the resolvers' DNSSEC status, the MX RRset's, and
 * per MX host its address and TLSA answers.
 *
 * @param dnssec whether the checker's resolvers deliver validatable DNSSEC data
 * @param mx the MX answer with its DNSSEC status
 * @param hosts one entry per MX host, best preference first; empty when DANE cannot apply to the domain
 */
record CheckDaneFindings(DnssecStatus dnssec, Secured<MxRecord> mx, List<Host> hosts) {

    CheckDaneFindings {
        hosts = List.copyOf(hosts);
    }

    /** Tells whether DANE can apply to the domain at all: validation works and the MX RRset is secure. */
    boolean applies() {
        return dnssec.available() && mx.security() == Security.SECURE;
    }

    /**
     * The DANE facts of one MX host.
     *
     * @param host the MX host name
     * @param addresses its A and AAAA answers, CNAMEs followed, with the weakest status along the way
     * @param tlsa the TLSA answer, absent when the addresses do not allow a TLSA lookup (RFC 7672 §2.2.2)
     * @param tlsaBase the TLSA base domain the answer belongs to (RFC 7672 §2.2.3), also the SNI name (§8.1)
     */
    record Host(String host, Secured<InetAddress> addresses, Optional<Secured<TlsaRecordData>> tlsa, String tlsaBase) {

        /** The records of a secure TLSA answer, classified; empty when the answer is not a secure RRset. */
        Optional<TlsaRrset> secureRrset() {
            return tlsa.filter(answer -> answer.security() == Security.SECURE
                            && answer.answer() instanceof DnsResult.Records<TlsaRecordData>)
                    .map(answer -> TlsaRrset.classify(records(answer.answer())));
        }

        /** The usable records DANE authenticates this host with, or empty when it has none. */
        List<TlsaRecord> usable() {
            return secureRrset()
                    .filter(TlsaRrset.Usable.class::isInstance)
                    .map(rrset -> ((TlsaRrset.Usable) rrset).usable())
                    .orElse(List.of());
        }

        static List<TlsaRecord> records(DnsResult<TlsaRecordData> answer) {
            return answer.valuesOrEmpty().stream().map(TlsaRecord::of).toList();
        }
    }
}
