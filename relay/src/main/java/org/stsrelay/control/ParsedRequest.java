package org.stsrelay.control;

/** What reading one request line gave: a request, or why the line is not one. */
public sealed interface ParsedRequest {

    /** A well-formed request. */
    record Valid(ControlRequest request) implements ParsedRequest {}

    /** A line that is not a request, with the reason. */
    record Invalid(String reason) implements ParsedRequest {}
}
