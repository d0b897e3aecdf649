/**
 * The Prometheus endpoint and health checks: one Micrometer registry that every stage counts into,
 * served over HTTP at /metrics, /healthz and /readyz.
 */
package org.stsrelay.metrics;
