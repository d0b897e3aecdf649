package org.stsrelay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
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
    }

    @Test
    void keptContentHoldsNoneOfTheReadBuffersItWasCutFrom() {
        FreshContents fresh = new FreshContents(1024);
        ByteBuf readBuffer = Unpooled.directBuffer(64 * 1024).writeBytes(new byte[64 * 1024]);
        readBuffer.setBytes(100, "body\r\n".getBytes(StandardCharsets.US_ASCII));
        ByteBuf slice = readBuffer.retainedSlice(100, 6);
        readBuffer.release();

        fresh.keep(A, List.of(slice), 6);
        slice.release();

        assertThat(readBuffer.refCnt())
                .as("the 64 KiB read buffer is freed, not pinned by 6 kept octets")
                .isZero();
        assertThat(fresh.take(A))
                .hasValueSatisfying(
                        octets -> assertThat(octets).isEqualTo("body\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void evictedDroppedAndClosedContentIsFreed() {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
        FreshContents fresh = new FreshContents(8);
        fresh.keep(A, List.of(alloc.heapBuffer().writeBytes(new byte[4])), 4);
        fresh.keep(B, List.of(alloc.heapBuffer().writeBytes(new byte[4])), 4);
        fresh.keep(C, List.of(alloc.heapBuffer().writeBytes(new byte[4])), 4);
        assertThat(alloc.metric().usedDirectMemory())
                .as("A evicted, B and C kept")
                .isEqualTo(8);

        fresh.drop(B);
        assertThat(alloc.metric().usedDirectMemory()).as("B dropped").isEqualTo(4);
        assertThat(fresh.octets()).isEqualTo(4);

        fresh.close();
        assertThat(alloc.metric().usedDirectMemory()).as("closed").isZero();
        assertThat(fresh.take(C)).isEmpty();
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
