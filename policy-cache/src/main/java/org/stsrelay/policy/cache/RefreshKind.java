package org.stsrelay.policy.cache;

/** Why a cached policy is refreshed, as the {@code kind} tag of {@code sts.policy.refresh.runs}. */
enum RefreshKind {
    /** A lookup found the id re-check due (RFC 8461 §3). */
    ID_CHECK("id_check"),
    /** Maintenance found an in-use policy near expiry (RFC 8461 §3.3, §10.2). */
    PROACTIVE("proactive");

    private final String tag;

    RefreshKind(String tag) {
        this.tag = tag;
    }

    String tag() {
        return tag;
    }
}
