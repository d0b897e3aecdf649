package org.stsrelay.inbound;

/** Every fixed reply the inbound server sends; texts that carry a value are completed with {@link Reply#with}. */
final class Replies {

    static final Reply OK = Reply.of(250, "2.0.0", "Ok");
    static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Sender OK");
    static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient OK");
    static final Reply QUEUED = Reply.of(250, "2.0.0", "Ok: queued as ");
    static final Reply BYE = Reply.of(221, "2.0.0", "Bye");
    static final Reply HELP =
            Reply.of(214, "2.0.0", "See RFC 5321; commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP");
    static final Reply VRFY = Reply.of(252, "2.1.5", "Cannot VRFY user, but will accept message");
    static final Reply START_DATA = Reply.plain(354, "End data with <CR><LF>.<CR><LF>");
    static final Reply READY_FOR_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    static final Reply AUTH_OK = Reply.of(235, "2.7.0", "Authentication successful");
    static final Reply AUTH_CONTINUE = Reply.plain(334, "");
    static final Reply AUTH_USERNAME = Reply.plain(334, "VXNlcm5hbWU6");
    static final Reply AUTH_PASSWORD = Reply.plain(334, "UGFzc3dvcmQ6");

    static final Reply TIMEOUT = Reply.of(421, "4.4.2", "Timeout, closing connection");
    static final Reply DATA_TOO_SLOW = Reply.of(421, "4.4.2", "DATA took too long, closing connection");
    static final Reply TOO_MANY_ERRORS = Reply.of(421, "4.7.0", "Too many errors, closing connection");
    static final Reply TOO_MANY_CONNECTIONS = Reply.of(421, "4.7.0", "Too many connections, try again later");
    static final Reply AUTH_LOCKED_OUT =
            Reply.of(421, "4.7.0", "Too many failed authentication attempts from your address, try again later");
    static final Reply SHUTTING_DOWN = Reply.of(421, "4.3.2", "Service shutting down, try again later");
    static final Reply LOCAL_ERROR = Reply.of(451, "4.3.0", "Requested action aborted: local error in processing");
    static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients");
    static final Reply LOCAL_ERROR_CLOSING = Reply.of(421, "4.3.0", "Local error in processing, closing connection");

    static final Reply UNKNOWN_COMMAND = Reply.of(500, "5.5.1", "Command unrecognized");
    static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2", "Line too long");
    static final Reply BAD_CHARACTERS = Reply.of(501, "5.5.2", "Invalid characters in command");
    static final Reply SYNTAX = Reply.of(501, "5.5.4", "Syntax error in parameters or arguments");
    static final Reply NO_ARGUMENTS = Reply.of(501, "5.5.4", "No parameters allowed");
    static final Reply HELO_REQUIRES_DOMAIN = Reply.of(501, "5.5.4", "EHLO/HELO requires a domain or address literal");
    static final Reply BAD_SENDER = Reply.of(501, "5.1.7", "Bad sender address syntax");
    static final Reply BAD_RECIPIENT = Reply.of(501, "5.1.3", "Bad recipient address syntax");
    static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "Authentication cancelled");
    static final Reply AUTH_NOT_BASE64 = Reply.of(501, "5.5.2", "Cannot decode authentication response");
    static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "Command not implemented");
    static final Reply BAD_SEQUENCE = Reply.of(503, "5.5.1", "Bad sequence of commands");
    static final Reply SEND_HELO_FIRST = Reply.of(503, "5.5.1", "Send EHLO/HELO first");
    static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Sender already specified");
    static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Need MAIL before RCPT");
    static final Reply NEED_RCPT = Reply.of(503, "5.5.1", "Need MAIL and RCPT before DATA");
    static final Reply ALREADY_TLS = Reply.of(503, "5.5.1", "TLS already active");
    static final Reply STARTTLS_AFTER_AUTH = Reply.of(503, "5.5.1", "STARTTLS not allowed after AUTH");
    static final Reply ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1", "Already authenticated");
    static final Reply NOT_IN_TRANSACTION = Reply.of(503, "5.5.1", "Not allowed during a mail transaction");
    static final Reply UNKNOWN_MECHANISM = Reply.of(504, "5.5.4", "Unrecognized authentication mechanism");
    static final Reply REQUIRETLS_NEEDS_TLS =
            Reply.of(530, "5.7.10", "REQUIRETLS needs a TLS session: issue STARTTLS first");
    static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    static final Reply AUTH_NEEDS_TLS =
            Reply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    static final Reply BAD_CONTENT = Reply.of(550, "5.6.0", "Message rejected: ");
    static final Reply TOO_BIG = Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    static final Reply DATA_LINE_TOO_LONG = Reply.of(552, "5.3.4", "Message line exceeds the maximum line length");
    static final Reply UTF8_NEEDS_SMTPUTF8 =
            Reply.of(553, "5.6.7", "Non-ASCII address requires the SMTPUTF8 parameter");
    static final Reply RELAY_DENIED = Reply.of(
            554, "5.7.1", "Relay access denied: authenticate (AUTH after STARTTLS) or connect from an allowed network");
    static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
    static final Reply MAIL_LOOP = Reply.of(554, "5.4.6", "Too many Received headers (mail loop)");
    static final Reply PIPELINED_STARTTLS = Reply.of(554, "5.5.0", "Pipelining after STARTTLS not allowed");
    static final Reply UNKNOWN_PARAMETER = Reply.of(555, "5.5.4", "Unsupported MAIL/RCPT parameter: ");

    private Replies() {}

    /** The greeting (RFC 5321 §4.2: no enhanced code on 220 greetings, RFC 2034 §3). */
    static Reply greeting(String hostname) {
        return Reply.plain(220, hostname + " ESMTP sts-relay");
    }
}
