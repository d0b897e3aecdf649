package org.stsrelay.policy.dns;

import java.net.InetAddress;
import java.util.concurrent.CompletionStage;

/** Asynchronous DNS lookups that follow CNAMEs and report NXDOMAIN, NODATA and failures as values. */
public interface DnsClient {

    /** Looks up TXT records; each record's strings are concatenated without spaces (RFC 8461 §3.1). */
    CompletionStage<DnsResult<String>> txt(String name);

    /** Looks up MX records with their preferences. */
    CompletionStage<DnsResult<MxRecord>> mx(String name);

    /** Looks up IPv4 addresses. */
    CompletionStage<DnsResult<InetAddress>> a(String name);

    /** Looks up IPv6 addresses. */
    CompletionStage<DnsResult<InetAddress>> aaaa(String name);

    /** Creates a client over dnsjava's asynchronous resolver with these settings. */
    static DnsClient create(DnsSettings settings) {
        return new DnsjavaClient(settings);
    }
}
