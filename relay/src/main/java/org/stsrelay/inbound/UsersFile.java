package org.stsrelay.inbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The AUTH users file: {@code user:hash} lines as written by {@code hash-password}, {@code #} comments. */
public final class UsersFile {

    // Verified against for unknown users, so a missing user costs the same time as a wrong password.
    private static final String DUMMY = new PasswordHasher(PasswordHasher.ITERATIONS, new java.security.SecureRandom())
            .hash("not a password".toCharArray());

    private final Map<String, String> hashes;
    private final PasswordHasher hasher = new PasswordHasher();

    private UsersFile(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    /** Reads and validates the file; a malformed line is an IllegalArgumentException naming file and line. */
    public static UsersFile load(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read users file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String user = colon < 0 ? "" : line.substring(0, colon);
            String hash = colon < 0 ? "" : line.substring(colon + 1);
            String where = file + ":" + (i + 1) + ": ";
            if (user.isEmpty() || !user.chars().noneMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
                throw new IllegalArgumentException(where + "expected user:hash (hash from 'sts-relay hash-password')");
            }
            if (!PasswordHasher.isWellFormed(hash)) {
                throw new IllegalArgumentException(
                        where + "the hash of user " + user + " is not $pbkdf2-sha256$i=N$salt$hash");
            }
            if (hashes.putIfAbsent(user, hash) != null) {
                throw new IllegalArgumentException(where + "user " + user + " is listed twice");
            }
        }
        return new UsersFile(hashes);
    }

    /** Whether the user exists and the password matches; slow (PBKDF2), so call it off the event loop. */
    public boolean authenticate(String user, char[] password) {
        String stored = hashes.get(user);
        boolean ok = hasher.verify(password, stored == null ? DUMMY : stored);
        return stored != null && ok;
    }

    /** How many users the file defines. */
    public int size() {
        return hashes.size();
    }
}
