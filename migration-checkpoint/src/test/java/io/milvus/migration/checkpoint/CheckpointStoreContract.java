package io.milvus.migration.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.CheckpointStore.Entry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CheckpointStore} promises, run against each real database: entries kept per job and replaced by
 * kind and key, a multi-entry write all or nothing, jobs listed sorted, large values, long unicode keys, many
 * writers at once, and what one store object wrote seen by another opened later on the same database (as a second
 * process would).
 */
abstract class CheckpointStoreContract {
    private final List<CheckpointStore> opened = new ArrayList<>();

    /** A new store object on this test's database (the same one on every call). */
    protected abstract CheckpointStore newStore();

    /** A plain JDBC connection to this test's database, beside the stores'. */
    protected abstract Connection connect() throws SQLException;

    /** SQL that makes every later insert of an entry with key {@code key} fail in the database itself. */
    protected abstract String poisonTrigger(String key);

    protected final CheckpointStore open() {
        CheckpointStore s = newStore();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(CheckpointStore::close);
    }

    private static Map<String, String> asMap(List<Entry> entries) {
        var m = new HashMap<String, String>();
        for (Entry e : entries) {
            assertThat(m.put(e.kind() + "|" + e.key(), e.value())).as("entry %s/%s twice", e.kind(), e.key())
                    .isNull();
        }
        return m;
    }

    @Test
    void anEmptyStoreKnowsNoJobs() {
        CheckpointStore store = open();
        assertThat(store.jobIds()).isEmpty();
        assertThat(store.read("nothing")).isEmpty();
        store.drop("nothing");
        store.write("nothing", List.of());
        assertThat(store.jobIds()).isEmpty();
    }

    @Test
    void entriesAreKeptPerJobAndReplacedByKindAndKey() {
        CheckpointStore store = open();
        store.write("j1", List.of(new Entry("job", "job", "{\"state\":\"RUNNING\"}"), new Entry("split", "c/s-1", "1"),
                new Entry("split", "c/s-2", "2"), new Entry("group", "c/s-1", "same key, other kind")));
        store.write("j2", List.of(new Entry("split", "c/s-1", "other job")));
        store.write("j1", List.of(new Entry("split", "c/s-2", "2b"), new Entry("split", "c/S-2", "upper case"),
                new Entry("split", "c/s-2 ", "trailing space"), new Entry("split", "c/s-3", "")));

        assertThat(asMap(store.read("j1"))).containsOnly(Map.entry("job|job", "{\"state\":\"RUNNING\"}"),
                Map.entry("split|c/s-1", "1"), Map.entry("split|c/s-2", "2b"), Map.entry("group|c/s-1",
                        "same key, other kind"), Map.entry("split|c/S-2", "upper case"),
                Map.entry("split|c/s-2 ", "trailing space"), Map.entry("split|c/s-3", ""));
        assertThat(asMap(store.read("j2"))).containsOnly(Map.entry("split|c/s-1", "other job"));
        assertThat(store.read("J1")).as("job ids are case-sensitive").isEmpty();
    }

    @Test
    void aWriteThatFailsPartwayLeavesNoneOfItsEntries() throws SQLException {
        CheckpointStore store = open();
        store.write("j", List.of(new Entry("split", "a", "a1"), new Entry("split", "b", "b1")));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(poisonTrigger("poison"));
        }
        // the first entries of the batch reach the database before the poisoned one fails
        var batch = List.of(new Entry("split", "a", "a2"), new Entry("split", "new", "n"),
                new Entry("split", "poison", "p"), new Entry("split", "b", "b2"));
        assertThatThrownBy(() -> store.write("j", batch))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.CHECKPOINT_IO))
                .hasMessageContaining(store.describe()).hasMessageContaining("record job j");
        assertThat(asMap(store.read("j"))).containsOnly(Map.entry("split|a", "a1"), Map.entry("split|b", "b1"));
        assertThat(asMap(open().read("j"))).as("seen by another connection")
                .containsOnly(Map.entry("split|a", "a1"), Map.entry("split|b", "b1"));

        // the store goes on working after the failed transaction
        store.write("j", List.of(new Entry("split", "a", "a3"), new Entry("split", "c", "c3")));
        assertThat(asMap(open().read("j"))).containsOnly(Map.entry("split|a", "a3"), Map.entry("split|b", "b1"),
                Map.entry("split|c", "c3"));
    }

    @Test
    void jobIdsAreListedSortedAndDropForgetsOnlyThatJob() {
        CheckpointStore store = open();
        for (String id : List.of("job-9", "B", "job-10", "a", "é-job", "b", "Z")) {
            store.write(id, List.of(new Entry("job", "job", id), new Entry("split", "s", id)));
        }
        assertThat(store.jobIds()).containsExactly("B", "Z", "a", "b", "job-10", "job-9", "é-job");
        store.drop("job-10");
        store.drop("unknown");
        assertThat(store.jobIds()).containsExactly("B", "Z", "a", "b", "job-9", "é-job");
        assertThat(store.read("job-10")).isEmpty();
        assertThat(asMap(store.read("job-9"))).containsOnly(Map.entry("job|job", "job-9"),
                Map.entry("split|s", "job-9"));
        assertThat(open().jobIds()).as("in a store opened later").containsExactly("B", "Z", "a", "b", "job-9",
                "é-job");
        // a dropped job can start again from nothing
        store.write("job-10", List.of(new Entry("job", "job", "again")));
        assertThat(store.read("job-10")).containsExactly(new Entry("job", "job", "again"));
    }

    @Test
    void valuesOfSeveralMegabytesComeBackExactly() {
        CheckpointStore store = open();
        // multi-byte text: 2 M characters of 2 to 4 bytes each in UTF-8, 7 MB
        var big = new StringBuilder();
        String pieces = "é€𝄞ü\n\"'\\{}";
        while (big.length() < 2_000_000) {
            big.append(pieces);
        }
        String v1 = big.toString();
        String v2 = "x".repeat(5 << 20);
        store.write("big", List.of(new Entry("group", "g1", v1), new Entry("group", "g2", v2),
                new Entry("job", "job", "small")));
        CheckpointStore other = open();
        Map<String, String> read = asMap(other.read("big"));
        assertThat(read.get("group|g1")).as("7 MB of unicode").isEqualTo(v1);
        assertThat(read.get("group|g2")).as("5 MB").isEqualTo(v2);
        assertThat(read.get("job|job")).isEqualTo("small");
        store.write("big", List.of(new Entry("group", "g1", "shrunk")));
        assertThat(asMap(other.read("big")).get("group|g1")).isEqualTo("shrunk");
    }

    @Test
    void longUnicodeKeysAndJobIdsAreKeptExactly() {
        CheckpointStore store = open();
        String unicode = "ü ß 日本語 𝄞 😀 \t/:'\"%_";
        String key = (unicode.repeat(40)).substring(0, 399) + "k";
        assertThat(key).hasSize(400);
        String otherKey = key.substring(0, 399) + "K";
        String kind = "k".repeat(31) + "ö";
        String jobId = ("job " + unicode).repeat(10).substring(0, 127) + "j";
        assertThat(jobId).hasSize(128);
        store.write(jobId, List.of(new Entry(kind, key, "1"), new Entry(kind, otherKey, "2"),
                new Entry("split", key, "3")));
        CheckpointStore other = open();
        assertThat(other.jobIds()).containsExactly(jobId);
        assertThat(asMap(other.read(jobId))).containsOnly(Map.entry(kind + "|" + key, "1"),
                Map.entry(kind + "|" + otherKey, "2"), Map.entry("split|" + key, "3"));
        assertThat(other.read(jobId.substring(0, 127))).isEmpty();
        other.drop(jobId);
        assertThat(store.jobIds()).isEmpty();
    }

    @Test
    void whatOneStoreWroteAnotherOpenedLaterReads() {
        CheckpointStore first = newStore();
        first.write("durable", List.of(new Entry("job", "job", "v1"), new Entry("split", "s", "0")));
        CheckpointStore beside = open();
        assertThat(asMap(beside.read("durable"))).as("committed, seen by another connection at once")
                .containsOnly(Map.entry("job|job", "v1"), Map.entry("split|s", "0"));
        first.write("durable", List.of(new Entry("split", "s", "1")));
        first.close();
        CheckpointStore later = open();
        assertThat(asMap(later.read("durable"))).containsOnly(Map.entry("job|job", "v1"), Map.entry("split|s", "1"));
        assertThat(later.jobIds()).containsExactly("durable");
        first.close(); // a second close does nothing
    }

    @Test
    void manyWritersAtOnceLoseNothingAndReadersNeverSeeHalfAWrite() throws Exception {
        int threads = 6;
        int writes = 40;
        // two store objects (two connections), as the engine and a CLI "jobs" in another process would be
        CheckpointStore a = open();
        CheckpointStore b = open();
        a.write("job-0", List.of(new Entry("job", "job", "x")));
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            var start = new CountDownLatch(1);
            var done = new AtomicBoolean();
            var torn = new ConcurrentLinkedQueue<String>();
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                CheckpointStore store = t % 2 == 0 ? a : b;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writes; i++) {
                        String k = thread + "-" + i;
                        // two entries that must always be seen together, and one key every thread replaces
                        store.write("job-" + thread % 3, List.of(new Entry("left", k, k), new Entry("right", k, k),
                                new Entry("last", "writer", k)));
                    }
                    return null;
                }));
            }
            futures.add(pool.submit(() -> {
                start.await();
                while (!done.get()) {
                    for (int j = 0; j < 3; j++) {
                        Map<String, String> m = asMap(a.read("job-" + j));
                        m.keySet().stream().filter(k -> k.startsWith("left|"))
                                .filter(k -> !m.containsKey("right|" + k.substring(5))).forEach(torn::add);
                    }
                }
                return null;
            }));
            start.countDown();
            for (int i = 0; i < threads; i++) {
                futures.get(i).get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            futures.get(threads).get(10, TimeUnit.SECONDS);
            assertThat(torn).as("entries of one write seen without the others").isEmpty();
        } finally {
            pool.shutdownNow();
        }
        CheckpointStore later = open();
        assertThat(later.jobIds()).containsExactly("job-0", "job-1", "job-2");
        for (int j = 0; j < 3; j++) {
            Map<String, String> m = asMap(later.read("job-" + j));
            var expected = new HashMap<String, String>();
            for (int t = j; t < threads; t += 3) {
                for (int i = 0; i < writes; i++) {
                    expected.put("left|" + t + "-" + i, t + "-" + i);
                    expected.put("right|" + t + "-" + i, t + "-" + i);
                }
            }
            String last = m.remove("last|writer");
            m.remove("job|job");
            assertThat(m).as("job-%d", j).isEqualTo(expected);
            assertThat(last).as("the last write of some thread of job-%d", j)
                    .matches("[" + j + (j + 3) + "]-" + (writes - 1));
        }
    }

    @Test
    void itsDescriptionNamesTheDatabase() {
        CheckpointStore store = open();
        assertThat(store.describe()).isNotBlank();
        assertThat(store.toString()).contains(store.describe());
    }
}
