package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreshContentsTest {

    private static final QueueId A = new QueueId("00000000000000A1");
    private static final QueueId B = new QueueId("00000000000000B2");
    private static final QueueId C = new QueueId("00000000000000C3");

    private static List<ByteBuf> buffers(String... parts) {
        return java.util.Arrays.stream(parts)
                .map(p -> Unpooled.copiedBuffer(p, StandardCharsets.US_ASCII))
                .toList();
    }

    @Test
    void contentIsHandedOverOnceAsOneCopyOfAllItsBuffers() {
        FreshContents fresh = new FreshContents(1024);
        List<ByteBuf> content = buffers("Subject: x\r\n", "\r\nbody\r\n");
        fresh.keep(A, content, 20);
        content.forEach(ByteBuf::release);

        assertThat(fresh.take(A))
                .hasValueSatisfying(octets -> assertThat(new String(octets, StandardCharsets.US_ASCII))
                        .isEqualTo("Subject: x\r\n\r\nbody\r\n"));
        assertThat(fresh.take(A)).as("handed over once").isEmpty();
        assertThat(fresh.octets()).isZero();
        assertThat(content)
                .as("freed once copied")
                .allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void evictedDroppedAndClosedContentIsFreed() {
        FreshContents fresh = new FreshContents(8);
        List<ByteBuf> a = buffers("aaaa");
        List<ByteBuf> b = buffers("bbbb");
        List<ByteBuf> c = buffers("cccc");
        fresh.keep(A, a, 4);
        fresh.keep(B, b, 4);
        fresh.keep(C, c, 4);
        fresh.drop(B);
        java.util.stream.Stream.of(a, b, c).flatMap(List::stream).forEach(ByteBuf::release);

        assertThat(a)
                .as("evicted")
                .allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
        assertThat(b)
                .as("dropped")
                .allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
        assertThat(c)
                .as("still kept")
                .allSatisfy(buffer -> assertThat(buffer.refCnt()).isOne());
        fresh.close();
        assertThat(c)
                .as("closed")
                .allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void theOldestEntriesMakeRoomAndContentLargerThanTheBoundIsNotKept() {
        FreshContents fresh = new FreshContents(10);
        fresh.keep(A, buffers("aaaa"), 4);
        fresh.keep(B, buffers("bbbb"), 4);
        fresh.keep(C, buffers("cccc"), 4);
        fresh.keep(new QueueId("00000000000000D4"), buffers("d".repeat(11)), 11);

        assertThat(fresh.octets()).isEqualTo(8);
        assertThat(fresh.take(A)).as("the oldest made room").isEmpty();
        assertThat(fresh.take(B)).isPresent();
        assertThat(fresh.take(C)).isPresent();
        assertThat(fresh.take(new QueueId("00000000000000D4"))).isEmpty();
    }

    @Test
    void aZeroBoundKeepsNothing() {
        FreshContents fresh = new FreshContents(0);
        fresh.keep(A, buffers("a"), 1);

        assertThat(fresh.take(A)).isEmpty();
    }
}
