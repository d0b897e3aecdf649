package org.stsrelay.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.stsrelay.inbound.PasswordHasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a salted hash of a password for a line {@code user:hash} of the AUTH users file. */
@Command(
        name = "hash-password",
        mixinStandardHelpOptions = true,
        description = {
            "Reads a password (twice from a terminal, or one line from standard input) and prints",
            "the salted hash to put in the AUTH users file as user:hash."
        })
final class HashPasswordCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--user", paramLabel = "NAME", description = "Print a whole users-file line NAME:hash.")
    String user;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        char[] password = read();
        if (password == null) {
            return 1;
        }
        try {
            String hash = new PasswordHasher().hash(password);
            spec.commandLine().getOut().println(user == null ? hash : user + ":" + hash);
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] read() throws IOException {
        var err = spec.commandLine().getErr();
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                err.println("sts-relay: the passwords do not match");
                return null;
            }
            Arrays.fill(second, '\0');
            return checked(first, err);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return checked(line == null ? new char[0] : line.toCharArray(), err);
    }

    private static char[] checked(char[] password, java.io.PrintWriter err) {
        if (password.length == 0) {
            err.println("sts-relay: the password is empty");
            return null;
        }
        return password;
    }
}
