/**
 * The few primitives both modules need, written once: durable atomic file writes and named threads.
 */
package org.stsrelay.support;
