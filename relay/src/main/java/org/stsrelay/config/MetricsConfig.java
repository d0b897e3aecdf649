package org.stsrelay.config;

import java.util.Optional;

/** The {@code metrics} section: where /metrics, /healthz and /readyz are served; empty: not served. */
public record MetricsConfig(Optional<HostPort> listen) {}
