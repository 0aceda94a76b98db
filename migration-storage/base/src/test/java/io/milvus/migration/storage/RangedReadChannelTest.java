package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The read-ahead channel against an in-memory object: bytes match and fetches stay bounded. */
class RangedReadChannelTest {
    @Test
    void readsMatchAndFetchesAreBounded() throws Exception {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        List<int[]> fetches = new ArrayList<>();
        var ch = new RangedReadChannel(data.length, 4096) {
            @Override
            protected byte[] fetch(long offset, int length) {
                fetches.add(new int[] {(int) offset, length});
                return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
            }
        };
        ByteBuffer small = ByteBuffer.allocate(100);
        for (int i = 0; i < 40; i++) {
            small.clear();
            assertThat(ch.read(small)).isEqualTo(100);
        }
        assertThat(small.array()).isEqualTo(Arrays.copyOfRange(data, 3900, 4000));
        assertThat(fetches).hasSize(1);   // 4000 bytes, one read-ahead
        ch.position(99_990);
        ByteBuffer tail = ByteBuffer.allocate(50);
        assertThat(ch.read(tail)).isEqualTo(10);
        assertThat(fetches.get(fetches.size() - 1)).containsExactly(99_990, 10);
        assertThat(ch.read(tail)).isEqualTo(-1);
        ch.position(10);
        ByteBuffer big = ByteBuffer.allocate(50_000);
        assertThat(ch.read(big)).isEqualTo(50_000);
        assertThat(big.array()).isEqualTo(Arrays.copyOfRange(data, 10, 50_010));
        assertThat(fetches).allSatisfy(f -> assertThat(f[1]).isLessThanOrEqualTo(RangedReadChannel.MAX_FETCH));
        ch.close();
        assertThat(ch.isOpen()).isFalse();
    }
}
