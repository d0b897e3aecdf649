package org.stsrelay.policy;

/** The outcome of parsing a policy file: a document, or the reason it is not a policy. */
public sealed interface ParseResult {

    /** The text is a valid policy. */
    record Valid(PolicyDocument document) implements ParseResult {}

    /** The text is not a valid policy; maps to {@link ResultType#STS_POLICY_INVALID}. */
    record Invalid(String reason) implements ParseResult {}
}
