package org.stsrelay.config;

/**
 * The whole, validated relay configuration. Built only by {@link ConfigLoader}; later stages add sections.
 *
 * @param hostname the relay's own name: SMTP banner, EHLO, Received headers
 */
public record RelayConfig(
        String hostname,
        InboundConfig inbound,
        SpoolConfig spool,
        MetricsConfig metrics,
        DnsConfig dns,
        TlsConfig tls,
        MtaStsConfig mtaSts,
        DeliveryConfig delivery,
        TlsRptConfig tlsrpt,
        DaneConfig dane,
        ClusterConfig cluster,
        OwnerSiteConfig ownerSite,
        ReceivedConfig received) {

    /** A configuration without the owner site, and with received reports at their defaults. */
    public RelayConfig(
            String hostname,
            InboundConfig inbound,
            SpoolConfig spool,
            MetricsConfig metrics,
            DnsConfig dns,
            TlsConfig tls,
            MtaStsConfig mtaSts,
            DeliveryConfig delivery,
            TlsRptConfig tlsrpt,
            DaneConfig dane,
            ClusterConfig cluster) {
        this(
                hostname,
                inbound,
                spool,
                metrics,
                dns,
                tls,
                mtaSts,
                delivery,
                tlsrpt,
                dane,
                cluster,
                OwnerSiteConfig.OFF,
                ReceivedConfig.DEFAULT);
    }

    /** A configuration without a fleet (single-node). */
    public RelayConfig(
            String hostname,
            InboundConfig inbound,
            SpoolConfig spool,
            MetricsConfig metrics,
            DnsConfig dns,
            TlsConfig tls,
            MtaStsConfig mtaSts,
            DeliveryConfig delivery,
            TlsRptConfig tlsrpt,
            DaneConfig dane) {
        this(hostname, inbound, spool, metrics, dns, tls, mtaSts, delivery, tlsrpt, dane, ClusterConfig.SINGLE_NODE);
    }

    /** A configuration with DANE at its default (enabled). */
    public RelayConfig(
            String hostname,
            InboundConfig inbound,
            SpoolConfig spool,
            MetricsConfig metrics,
            DnsConfig dns,
            TlsConfig tls,
            MtaStsConfig mtaSts,
            DeliveryConfig delivery,
            TlsRptConfig tlsrpt) {
        this(hostname, inbound, spool, metrics, dns, tls, mtaSts, delivery, tlsrpt, DaneConfig.DEFAULT);
    }
}
