package org.stsrelay.policy.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Merges the A and AAAA answers for one host into one answer. */
final class AddressAnswers {

    private AddressAnswers() {}

    /** Records if either has some; else NXDOMAIN if either says so; else a failure if either failed; else NODATA. */
    static DnsResult<InetAddress> merge(DnsResult<InetAddress> v4, DnsResult<InetAddress> v6) {
        List<InetAddress> all = new ArrayList<>(v4.valuesOrEmpty());
        all.addAll(v6.valuesOrEmpty());
        if (!all.isEmpty()) {
            String canonical = v4 instanceof DnsResult.Records<InetAddress> r
                    ? r.canonicalName()
                    : ((DnsResult.Records<InetAddress>) v6).canonicalName();
            return new DnsResult.Records<>(all, canonical);
        }
        if (v4 instanceof DnsResult.NxDomain<InetAddress>) {
            return v4;
        }
        if (v6 instanceof DnsResult.NxDomain<InetAddress>) {
            return v6;
        }
        if (v4 instanceof DnsResult.Failure<InetAddress>) {
            return v4;
        }
        return v6;
    }
}
