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
        ReceivedConfig received) {}
