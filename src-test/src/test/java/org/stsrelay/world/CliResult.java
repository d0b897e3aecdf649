package org.stsrelay.world;

import java.nio.charset.StandardCharsets;

/** What one run of a relay subcommand produced: exit code, raw stdout, and stderr as text. */
public record CliResult(int exitCode, byte[] stdout, String stderr) {

    /** Stdout decoded as UTF-8, for JSON and messages. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** A description for assertion messages. */
    public String describe() {
        return "exit " + exitCode + ", stderr: " + stderr.strip() + ", stdout: " + abbreviate(stdoutText());
    }

    private static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }
}
