/**
 * The few primitives both modules need, written once: durable atomic file writes, named threads, PEM files
 * and the TLS client trust store.
 */
package org.stsrelay.support;
