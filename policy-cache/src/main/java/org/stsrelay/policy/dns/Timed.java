package org.stsrelay.policy.dns;

import java.time.Duration;

/**
 * A classified answer and how long it may be cached.
 *
 * @param secured the answer and its status
 * @param ttl the smallest TTL along the answer; zero for failures, which are not cached
 * @param <T> the record data type
 */
record Timed<T>(Secured<T> secured, Duration ttl) {}
