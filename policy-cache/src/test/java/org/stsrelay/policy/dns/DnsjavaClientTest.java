package org.stsrelay.policy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.policy.dns.TestDnsServer.name;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TXTRecord;

class DnsjavaClientTest {

    private TestDnsServer server;
    private DnsClient client;

    @BeforeEach
    void start() throws Exception {
        server = new TestDnsServer();
        client = DnsClient.create(
                DnsSettings.DEFAULTS.withServers(List.of(server.address())).withTimeout(Duration.ofMillis(300)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static <T> DnsResult<T> await(java.util.concurrent.CompletionStage<DnsResult<T>> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    @DisplayName("RFC 8461 §3.1: a TXT record's strings are concatenated without spaces")
    void concatenatesTxtStrings() {
        server.add(new TXTRecord(name("_mta-sts.example.com"), DClass.IN, 300, List.of("v=STSv1; ", "id=abc", "123;")));
        assertThat(await(client.txt("_mta-sts.example.com")).valuesOrEmpty()).containsExactly("v=STSv1; id=abc123;");
    }

    @Test
    @DisplayName("RFC 8461 §3.1: every TXT record is returned, one string each")
    void returnsEveryTxtRecord() {
        server.add(new TXTRecord(name("_mta-sts.example.com"), DClass.IN, 300, "v=STSv1; id=a;"));
        server.add(new TXTRecord(name("_mta-sts.example.com"), DClass.IN, 300, "v=spf1 -all"));
        assertThat(await(client.txt("_mta-sts.example.com")).valuesOrEmpty()).hasSize(2);
    }

    @Test
    @DisplayName("RFC 8461 §3.1: CNAME chains are followed")
    void followsCnameChains() {
        server.add(new CNAMERecord(name("_mta-sts.example.com"), DClass.IN, 300, name("sts.provider.net")));
        server.add(new CNAMERecord(name("sts.provider.net"), DClass.IN, 300, name("_mta-sts.provider.net")));
        server.add(new TXTRecord(name("_mta-sts.provider.net"), DClass.IN, 300, "v=STSv1; id=p1;"));
        DnsResult<String> result = await(client.txt("_mta-sts.example.com"));
        assertThat(result).isInstanceOf(DnsResult.Records.class);
        assertThat(((DnsResult.Records<String>) result).canonicalName()).isEqualTo("_mta-sts.provider.net");
        assertThat(result.valuesOrEmpty()).containsExactly("v=STSv1; id=p1;");
    }

    @Test
    @DisplayName("RFC 8461 §3.1: a CNAME answered alone is followed by a query for its target")
    void queriesCnameTargetWhenServerStopsAtCname() {
        server.add(new CNAMERecord(name("_mta-sts.example.com"), DClass.IN, 300, name("_mta-sts.provider.net")));
        server.add(new TXTRecord(name("_mta-sts.provider.net"), DClass.IN, 300, "v=STSv1; id=p2;"));
        server.partialChain("_mta-sts.example.com");
        assertThat(await(client.txt("_mta-sts.example.com")).valuesOrEmpty()).containsExactly("v=STSv1; id=p2;");
    }

    @Test
    @DisplayName("RFC 8461 §8.2: a CNAME loop ends as a failure, not a hang")
    void boundsCnameLoops() {
        server.add(new CNAMERecord(name("a.example.com"), DClass.IN, 300, name("b.example.com")));
        server.add(new CNAMERecord(name("b.example.com"), DClass.IN, 300, name("a.example.com")));
        assertThat(await(client.txt("a.example.com"))).isInstanceOf(DnsResult.Failure.class);
    }

    @Test
    @DisplayName("RFC 8461 §10.2: NXDOMAIN, NODATA and SERVFAIL are told apart")
    void distinguishesNegativeAnswers() {
        server.add(new ARecord(name("host.example.com"), DClass.IN, 300, InetAddress.getLoopbackAddress()));
        server.rcode("broken.example.com", Rcode.SERVFAIL);
        assertThat(await(client.txt("missing.example.com"))).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(await(client.txt("host.example.com"))).isInstanceOf(DnsResult.NoData.class);
        DnsResult<String> servfail = await(client.txt("broken.example.com"));
        assertThat(servfail).isInstanceOf(DnsResult.Failure.class);
        assertThat(servfail.describe()).contains("SERVFAIL");
    }

    @Test
    @DisplayName("NXDOMAIN at the end of a CNAME chain is NXDOMAIN of the target")
    void nxdomainAfterCname() {
        server.add(new CNAMERecord(name("_mta-sts.example.com"), DClass.IN, 300, name("gone.provider.net")));
        DnsResult<String> result = await(client.txt("_mta-sts.example.com"));
        assertThat(result).isEqualTo(new DnsResult.NxDomain<String>("gone.provider.net"));
    }

    @Test
    @DisplayName("a server that never answers yields a timeout failure")
    void timesOut() {
        server.silent("slow.example.com");
        DnsClient impatient = DnsClient.create(
                new DnsSettings(List.of(DnsSettings.parseServer(server.address())), Duration.ofMillis(200), 0, 8));
        DnsResult<String> result = await(impatient.txt("slow.example.com"));
        assertThat(result).isInstanceOf(DnsResult.Failure.class);
    }

    @Test
    @DisplayName("a truncated UDP answer is retried over TCP")
    void fallsBackToTcpOnTruncation() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add("v=STSv1; id=record" + i + "padding-padding-padding;");
        }
        for (String text : many) {
            server.add(new TXTRecord(name("big.example.com"), DClass.IN, 300, text));
        }
        server.truncateOverUdp("big.example.com");
        assertThat(await(client.txt("big.example.com")).valuesOrEmpty()).hasSize(40);
        assertThat(server.tcpQueries()).isPositive();
    }

    @Test
    @DisplayName("MX answers keep preferences; A and AAAA give addresses")
    void mxAndAddresses() throws Exception {
        server.add(new MXRecord(name("example.com"), DClass.IN, 300, 10, name("mx1.example.com")));
        server.add(new MXRecord(name("example.com"), DClass.IN, 300, 20, name("mx2.example.com")));
        server.add(new ARecord(name("mx1.example.com"), DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
        server.add(new AAAARecord(name("mx1.example.com"), DClass.IN, 300, InetAddress.getByName("2001:db8::1")));
        assertThat(await(client.mx("example.com")).valuesOrEmpty())
                .containsExactly(new MxRecord(10, "mx1.example.com"), new MxRecord(20, "mx2.example.com"));
        assertThat(await(client.a("mx1.example.com")).valuesOrEmpty())
                .containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(await(client.aaaa("mx1.example.com.")).valuesOrEmpty())
                .containsExactly(InetAddress.getByName("2001:db8::1"));
    }

    @Test
    @DisplayName("servers are parsed from host:port, [v6]:port and bare hosts")
    void parsesServers() {
        assertThat(DnsSettings.parseServer("127.0.0.1:5353").getPort()).isEqualTo(5353);
        assertThat(DnsSettings.parseServer("[::1]:5300").getPort()).isEqualTo(5300);
        assertThat(DnsSettings.parseServer("127.0.0.1").getPort()).isEqualTo(53);
        assertThat(DnsSettings.parseServer("::1").getPort()).isEqualTo(53);
    }
}
