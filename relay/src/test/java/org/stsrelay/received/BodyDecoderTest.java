package org.stsrelay.received;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stsrelay.config.ReceivedConfig;
import org.stsrelay.received.IntakeResult.Refusal;

class BodyDecoderTest {

    private final BodyDecoder decoder = new BodyDecoder(ReceivedConfig.DEFAULT);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/tlsrpt+json",
                "application/tlsrpt+json; charset=utf-8",
                "Application/TLSRPT+JSON ; charset=\"utf-8\""
            })
    @DisplayName("RFC 8460 §6.5: application/tlsrpt+json is taken as is, whatever its parameters")
    void jsonIsTakenWithParametersIgnored(String mediaType) {
        DecodedBody decoded = decoder.decode(Reports.utf8(Reports.APPENDIX_B), mediaType);

        assertThat(decoded).isInstanceOf(DecodedBody.Json.class);
        assertThat(((DecodedBody.Json) decoded).text()).isEqualTo(Reports.utf8(Reports.APPENDIX_B));
    }

    @Test
    @DisplayName("RFC 8460 §6.4: application/tlsrpt+gzip is inflated")
    void gzipIsInflated() {
        DecodedBody decoded = decoder.decode(Reports.gzip(Reports.APPENDIX_B), "application/tlsrpt+gzip");

        assertThat(((DecodedBody.Json) decoded).text()).isEqualTo(Reports.utf8(Reports.APPENDIX_B));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/gzip", "text/plain", ""})
    @DisplayName("RFC 8460 §6.4, §6.5: any other media type is refused")
    void otherMediaTypesAreRefused(String mediaType) {
        assertThat(refusal(decoder.decode(Reports.utf8(Reports.APPENDIX_B), mediaType)))
                .isEqualTo(Refusal.MEDIA_TYPE);
    }

    @Test
    void bodyOverTheReportCapIsRefusedTooLarge() {
        BodyDecoder small = new BodyDecoder(new ReceivedConfig(Path.of("x"), 1_000, 50_000, 14, 2, 10));

        DecodedBody decoded = small.decode(new byte[1_001], "application/tlsrpt+json");

        assertThat(refusal(decoded)).isEqualTo(Refusal.TOO_LARGE);
    }

    @Test
    void gzipNotInGzipFormatIsMalformed() {
        DecodedBody decoded = decoder.decode(Reports.utf8(Reports.APPENDIX_B), "application/tlsrpt+gzip");

        assertThat(refusal(decoded)).isEqualTo(Refusal.MALFORMED);
        assertThat(reason(decoded)).contains("gzip data is broken");
    }

    @Test
    void truncatedGzipIsMalformed() {
        byte[] gzip = Reports.gzip(Reports.APPENDIX_B);

        DecodedBody decoded = decoder.decode(Arrays.copyOf(gzip, gzip.length / 2), "application/tlsrpt+gzip");

        assertThat(refusal(decoded)).isEqualTo(Refusal.MALFORMED);
        assertThat(reason(decoded)).isEqualTo("gzip data is truncated");
    }

    @Test
    void gzipWithAWrongCrcIsMalformed() {
        byte[] gzip = Reports.gzip(Reports.APPENDIX_B);
        // The trailer is CRC-32 then ISIZE, four bytes each.
        gzip[gzip.length - 8] ^= 0x01;

        DecodedBody decoded = decoder.decode(gzip, "application/tlsrpt+gzip");

        assertThat(refusal(decoded)).isEqualTo(Refusal.MALFORMED);
        assertThat(reason(decoded)).contains("gzip data is broken");
    }

    @Test
    @DisplayName("a decompression bomb (200 MB of zeros) is refused TOO_LARGE at the expanded-size cap")
    void decompressionBombIsRefusedAtTheCap() throws IOException {
        byte[] bomb = zerosGzipped(200L * 1024 * 1024);
        assertThat(bomb.length).isLessThan(1_000_000);

        DecodedBody decoded = decoder.decode(bomb, "application/tlsrpt+gzip");

        assertThat(refusal(decoded)).isEqualTo(Refusal.TOO_LARGE);
        assertThat(reason(decoded)).contains("expands past the cap of " + ReceivedConfig.DEFAULT.maxExpandedSize());
    }

    /** Streams {@code size} zeros through gzip, never holding more than one chunk of them. */
    static byte[] zerosGzipped(long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, chunk.length)) {
            for (long written = 0; written < size; written += chunk.length) {
                gzip.write(chunk);
            }
        }
        return out.toByteArray();
    }

    private static Refusal refusal(DecodedBody decoded) {
        return ((DecodedBody.Failed) decoded).refused().refusal();
    }

    private static String reason(DecodedBody decoded) {
        return ((DecodedBody.Failed) decoded).refused().reason();
    }
}
