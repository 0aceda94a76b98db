package io.milvus.migration.milvus2;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Key ranges, their expressions and the source URI, with an in-memory partition of keys in place of Milvus. */
class KeyRangesTest {

    /** Keys as Milvus answers a key scan: up to {@code limit} keys above {@code after}, shuffled. */
    private static KeyRanges.KeyPages pages(List<?> keys, List<Integer> asked) {
        var sorted = new TreeSet<Object>(KeyRanges.ORDER);
        sorted.addAll(keys);
        return (after, limit) -> {
            asked.add(limit);
            var page = new ArrayList<Object>();
            for (Object k : after == null ? sorted : sorted.tailSet(after, false)) {
                if (page.size() == limit) {
                    break;
                }
                page.add(k);
            }
            Collections.shuffle(page, new java.util.Random(1));
            return page;
        };
    }

    @Test
    void rangesHoldTheirRowsAndTheLastIsOpenAbove() {
        var keys = new ArrayList<Long>();
        for (long k = -50_000; k < 50_000; k += 3) {
            keys.add(k);
        }
        var asked = new ArrayList<Integer>();
        List<KeyRanges.Range> ranges = KeyRanges.cut(pages(keys, asked), 10_000);
        assertThat(asked).allMatch(l -> l == KeyRanges.SCAN_PAGE);
        assertThat(ranges).hasSize(4);
        assertThat(ranges.get(0).lower()).isNull();
        assertThat(ranges.get(ranges.size() - 1).upper()).isNull();
        assertThat(ranges.stream().mapToLong(KeyRanges.Range::rows).sum()).isEqualTo(keys.size());
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).lower()).isEqualTo(ranges.get(i - 1).upper());
        }
        // every key falls in exactly one range
        for (long k : keys) {
            assertThat(ranges.stream().filter(r -> (r.lower() == null || (Long) r.lower() < k)
                    && (r.upper() == null || k <= (Long) r.upper())).count()).isEqualTo(1);
        }
        assertThat(ranges.get(0).upper()).isEqualTo(keys.get(9_999));
    }

    @Test
    void anExactMultipleLeavesNoEmptyRangeAndAnEmptyPartitionHasOne() {
        var keys = new ArrayList<Long>();
        for (long k = 0; k < 300; k++) {
            keys.add(k);
        }
        List<KeyRanges.Range> ranges = KeyRanges.cut(pages(keys, new ArrayList<>()), 100);
        assertThat(ranges).extracting(KeyRanges.Range::rows).containsExactly(100L, 100L, 100L);
        assertThat(ranges.get(2).upper()).isNull();
        assertThat(KeyRanges.cut(pages(List.of(), new ArrayList<>()), 100)).singleElement()
                .satisfies(r -> assertThat(r.rows()).isZero());
    }

    @Test
    void varcharKeysAreOrderedByCodePointsAsMilvusOrdersThem() {
        // UTF-16 order puts U+FF5E before U+1F600; UTF-8 bytes (Milvus) the other way round
        List<String> keys = List.of("b", "a\"q", "\uFF5E", "\uD83D\uDE00", "A", "ab", "");
        assertThat(KeyRanges.compareCodePoints("\uFF5E", "\uD83D\uDE00")).isNegative();
        assertThat(KeyRanges.compareCodePoints("ab", "a")).isPositive();
        var ranges = KeyRanges.cut(pages(keys, new ArrayList<>()), 3);
        assertThat(ranges).extracting(KeyRanges.Range::upper).containsExactly("a\"q", "\uFF5E", null);
        assertThat(ranges.get(1).lower()).isEqualTo("a\"q");
    }

    @Test
    void expressionsBoundTheRangeAndContinueAfterTheCursor() {
        assertThat(KeyRanges.expr("id", null, null, null)).isEmpty();
        assertThat(KeyRanges.expr("id", 5L, 10L, null)).isEqualTo("id > 5 && id <= 10");
        assertThat(KeyRanges.expr("id", 5L, 10L, 7L)).isEqualTo("id > 7 && id <= 10");
        assertThat(KeyRanges.expr("id", null, -3L, null)).isEqualTo("id <= -3");
        assertThat(KeyRanges.expr("pk", null, null, "a\"b\\c")).isEqualTo("pk > \"a\\\"b\\\\c\"");
        assertThat(KeyRanges.parse("-12", true)).isEqualTo(-12L);
        assertThat(KeyRanges.parse("-12", false)).isEqualTo("-12");
        assertThat(KeyRanges.text(null)).isNull();
    }

    @Test
    void sourceUrisNameTheDatabaseTheCollectionsAndTheCredentials() {
        var b = MilvusSourceFactory.builder(URI.create("milvus://bob:s3cret@db.example:19531/prod/a,b"), Map.of());
        MilvusSource s = b.build();
        assertThat(s.describe()).isEqualTo("milvus://db.example:19531/prod").doesNotContain("s3cret");
        assertThat(b.toString()).contains("collections=[Pick[database=prod, name=a, targetName=a], "
                + "Pick[database=prod, name=b, targetName=b]]").doesNotContain("s3cret");
        var env = MilvusSourceFactory.builder(URI.create("milvus://h"), Map.of("MILVUS_TOKEN", "tok"));
        assertThat(env.toString()).contains("database=default").contains("credentials=***").doesNotContain("tok]");
        assertThat(new MilvusSourceFactory().supports(URI.create("milvus://h/db"))).isTrue();
        assertThat(new MilvusSourceFactory().supports(URI.create("faiss:/a.index"))).isFalse();
    }

    @Test
    void splitsArePlainSerializableData() throws Exception {
        var split = new MilvusSplit("p1#2", "default", "c", "p1", "p1", "10", null, 500, 1L << 40);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(split);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(split);
        }
    }
}
