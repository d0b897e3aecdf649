package org.stsrelay.spool;

/** The record types of the log; codes are part of the on-disk format and never reused. */
enum RecordType {
    MESSAGE(1),
    DONE(2),
    PROGRESS(3);

    private final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    byte code() {
        return code;
    }

    /** The type with this code, or null for a type this version does not know (skipped when read). */
    static RecordType ofCode(byte code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
