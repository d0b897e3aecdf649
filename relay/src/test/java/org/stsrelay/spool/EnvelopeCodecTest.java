package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The envelope format across versions. The version-1 fixtures are the bytes the relay wrote before the
 * kind field existed (the encoder of that release, run once on {@link Fixtures#fullEnvelope} and
 * {@link Fixtures#plainEnvelope}, and a whole segment holding a report-like message); they are never
 * regenerated, because they stand for spools that already exist.
 */
class EnvelopeCodecTest {

    private static final QueueId FULL_ID = new QueueId("0MMAAAAA00000001");
    private static final QueueId PLAIN_ID = new QueueId("0MMAAAAA00000002");
    private static final QueueId REPORT_ID = new QueueId("0MMAAAAA00000003");

    @TempDir
    Path directory;

    static Stream<Arguments> versionOneFixtures() {
        return Stream.of(
                Arguments.of("envelope-v1-full.bin", Fixtures.fullEnvelope(FULL_ID)),
                Arguments.of("envelope-v1-plain.bin", Fixtures.plainEnvelope(PLAIN_ID)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versionOneFixtures")
    void versionOneEnvelopeDecodesWithEveryFieldAndIsOrdinary(String fixture, Envelope expected) throws IOException {
        Envelope decoded = EnvelopeCodec.decode(fixture(fixture));
        assertThat(decoded).isEqualTo(expected);
        assertThat(decoded.kind()).isEqualTo(Envelope.Kind.ORDINARY);
    }

    static Stream<Arguments> envelopesOfEveryKind() {
        return Stream.of(Envelope.Kind.values())
                .flatMap(kind -> Stream.<Function<QueueId, Envelope>>of(Fixtures::fullEnvelope, Fixtures::plainEnvelope)
                        .map(make -> Arguments.of(kind, withKind(make.apply(FULL_ID), kind))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("envelopesOfEveryKind")
    void versionTwoRoundTripsEveryKind(Envelope.Kind kind, Envelope envelope) throws IOException {
        byte[] encoded = EnvelopeCodec.encode(envelope);
        assertThat(encoded[0]).isEqualTo((byte) 2);
        assertThat(EnvelopeCodec.decode(encoded)).isEqualTo(envelope);
    }

    @Test
    void versionTwoIsVersionOneWithTheKindAppended() throws IOException {
        byte[] v1 = fixture("envelope-v1-plain.bin");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(2);
        expected.write(v1, 1, v1.length - 1);
        expected.write(new byte[] {0, 0, 0, 10});
        expected.writeBytes("TLS_REPORT".getBytes(StandardCharsets.US_ASCII));
        assertThat(EnvelopeCodec.encode(withKind(Fixtures.plainEnvelope(PLAIN_ID), Envelope.Kind.TLS_REPORT)))
                .isEqualTo(expected.toByteArray());
    }

    static Stream<Arguments> unreadableHeaders() throws IOException {
        byte[] v1 = fixture("envelope-v1-plain.bin");
        byte[] v3 = v1.clone();
        v3[0] = 3;
        byte[] v0 = v1.clone();
        v0[0] = 0;
        byte[] v2 = EnvelopeCodec.encode(Fixtures.plainEnvelope(PLAIN_ID));
        byte[] renamed = Arrays.copyOf(v2, v2.length);
        // ORDINARY -> ORDINARZ: a kind this relay does not know.
        renamed[renamed.length - 1] = 'Z';
        return Stream.of(
                Arguments.of("version 3", v3, SpoolException.class, "envelope format version 3 is not known"),
                Arguments.of("version 0", v0, SpoolException.class, "envelope format version 0 is not known"),
                Arguments.of("unknown kind", renamed, IOException.class, "bad envelope"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableHeaders")
    void unreadableHeaderIsRefusedWithAReason(
            String name, byte[] header, Class<? extends IOException> type, String message) {
        assertThatThrownBy(() -> EnvelopeCodec.decode(header))
                .isInstanceOf(type)
                .hasMessageContaining(message);
    }

    @Test
    void versionTwoWithoutItsKindIsRefused() {
        byte[] v2 = EnvelopeCodec.encode(Fixtures.plainEnvelope(PLAIN_ID));
        assertThatThrownBy(() -> EnvelopeCodec.decode(Arrays.copyOf(v2, v2.length - "ORDINARY".length() - 4)))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void spoolWrittenByTheVersionOneReleaseIsRecoveredAsOrdinaryMailAndTakesNewMessages() throws IOException {
        Path log = Files.createDirectories(directory.resolve("log"));
        Files.write(log.resolve(SpoolLayout.segmentName(1)), fixture("segment-v1-report.seg"));
        Envelope added;
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            SpooledMessage old = spool.find(REPORT_ID).orElseThrow();
            assertThat(old.envelope().sender()).isEqualTo("tlsrpt-noreply@relay.test");
            // Written by the relay as a TLS report, or by a client: version 1 cannot tell, so it is ordinary.
            assertThat(old.envelope().kind()).isEqualTo(Envelope.Kind.ORDINARY);
            assertThat(new String(Fixtures.read(spool, old), StandardCharsets.US_ASCII))
                    .contains("\r\nTLS-Report-Domain: example.com\r\n");
            added = withKind(Fixtures.plainEnvelope(spool.nextId()), Envelope.Kind.TLS_REPORT);
            assertThat(Fixtures.commit(spool, added, new byte[] {'x'})).isInstanceOf(CommitResult.Committed.class);
        }
        try (FileSpool spool = Fixtures.open(Fixtures.config(directory), new SimpleMeterRegistry())) {
            assertThat(spool.find(REPORT_ID).orElseThrow().envelope().kind()).isEqualTo(Envelope.Kind.ORDINARY);
            assertThat(spool.find(added.id()).orElseThrow().envelope()).isEqualTo(added);
        }
    }

    private static Envelope withKind(Envelope e, Envelope.Kind kind) {
        return new Envelope(e.id(), e.sender(), e.recipients(), e.params(), e.client(), e.arrival(), kind);
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = EnvelopeCodecTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
