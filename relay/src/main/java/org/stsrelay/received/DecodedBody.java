package org.stsrelay.received;

/** A report body after its media type and compression were dealt with: the JSON text, or why it was refused. */
sealed interface DecodedBody {

    /** The report's JSON text, within the expanded-size cap. */
    record Json(byte[] text) implements DecodedBody {}

    /** The body could not be used. */
    record Failed(IntakeResult.Refused refused) implements DecodedBody {}
}
