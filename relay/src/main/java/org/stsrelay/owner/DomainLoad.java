package org.stsrelay.owner;

/** The outcome of loading one owned domain's files: servable, or the reason it is not. */
sealed interface DomainLoad {

    /** The files are valid; the domain can be served. */
    record Loaded(OwnedDomain domain) implements DomainLoad {}

    /**
     * Something is wrong with the files; nothing of this load may be served.
     *
     * @param reason names the file at fault and what is wrong with it
     */
    record Broken(String reason) implements DomainLoad {}
}
