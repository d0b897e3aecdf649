package org.stsrelay.dane;

/** The outcome of parsing a TLSA record's presentation form: the record, or why the text is not one. */
public sealed interface TlsaParse permits TlsaParse.Parsed, TlsaParse.Invalid {

    /** The text was a TLSA record. */
    record Parsed(TlsaRecord record) implements TlsaParse {}

    /** The text was not a TLSA record, and {@code reason} says which field is wrong. */
    record Invalid(String text, String reason) implements TlsaParse {}
}
