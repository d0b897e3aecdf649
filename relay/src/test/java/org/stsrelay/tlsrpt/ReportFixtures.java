package org.stsrelay.tlsrpt;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Shared pieces of the report tests. */
final class ReportFixtures {

    /** Every test receiver runs on loopback: any name resolves to 127.0.0.1. */
    static final Function<String, CompletionStage<List<InetAddress>>> LOCAL =
            host -> CompletableFuture.completedFuture(List.of(InetAddress.getLoopbackAddress()));

    private ReportFixtures() {}
}
