package org.stsrelay.inbound;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Checks AUTH credentials against the users file on its own executor, never on an event loop. */
final class Authenticator {

    private final UsersFile users;
    private final Executor executor;

    Authenticator(UsersFile users, Executor executor) {
        this.users = users;
        this.executor = executor;
    }

    /** Completes with whether the credentials are valid; the password is cleared once checked. */
    CompletionStage<Boolean> verify(String user, char[] password) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return users.authenticate(user, password);
                    } finally {
                        Arrays.fill(password, '\0');
                    }
                },
                executor);
    }
}
