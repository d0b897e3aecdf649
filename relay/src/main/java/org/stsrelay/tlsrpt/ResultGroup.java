package org.stsrelay.tlsrpt;

/**
 * Results that share a {@link ResultKey}, and how many there were.
 *
 * @param key   what the results have in common
 * @param count how many results, at least 1
 */
record ResultGroup(ResultKey key, long count) {

    ResultGroup {
        if (count < 1) {
            throw new IllegalArgumentException("a group counts at least one result: " + count);
        }
    }
}
