package org.stsrelay.control;

import java.time.Instant;

/**
 * A request waiting to be applied.
 *
 * @param request   what was asked
 * @param submitted when it was left
 */
public record PendingRequest(ControlRequest request, Instant submitted) {}
