package org.stsrelay.inbound;

/** What {@link SmtpFramer} hands to the session, besides DATA content chunks (plain ByteBufs). */
sealed interface Frame {

    /** One command line, UTF-8 decoded, without its line ending. */
    record CommandLine(String text) implements Frame {}

    /** A command line longer than 512 octets; its remainder is discarded, never buffered. */
    record LineTooLong() implements Frame {}

    /** The end of DATA ({@code <CRLF>.<CRLF>}), with the first problem found in the content, if any. */
    record EndOfData(DataProblem problem) implements Frame {}
}
