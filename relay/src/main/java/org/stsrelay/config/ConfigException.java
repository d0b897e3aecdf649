package org.stsrelay.config;

import java.util.List;

/** A configuration that cannot be used: every problem found, one line each, naming file and key path. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, e.g. {@code relay.yaml: inbound.max-message-size: "5XB" is not a size (e.g. 50MB)}. */
    public List<String> problems() {
        return problems;
    }
}
