package io.milvus.migration.milvus1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds Milvus 1.x data directories as Milvus 1.1 lays them out: {@code <root>/db/meta.sqlite} with the tables
 * {@code Environment}, {@code Tables}, {@code TableFiles} and {@code Fields} as {@code SqliteMetaImpl} creates them
 * (WAL journal), and {@code <root>/db/tables/<table_id>/<segment_id>/} with {@code <segment_id>.rv},
 * {@code <segment_id>.uid}, {@code deleted_docs} and {@code bloom_filter} (each data file an 8-byte byte count, then
 * the bytes). What a migration must deliver is declared by the scenario, segment by segment, not derived.
 * {@link #writeMysqlCatalogue} writes the same rows into a MySQL/MariaDB database, with the tables as
 * {@code MySQLMetaImpl} creates them. Public for migration-cli's tests (test-jar).
 */
public final class Milvus1Fixture {
    static final int L2 = 1, IP = 2, HAMMING = 3, JACCARD = 4, TANIMOTO = 5, SUBSTRUCTURE = 6, SUPERSTRUCTURE = 7;
    static final int NORMAL = 0, TO_DELETE = 1;
    static final int RAW = 1, TO_INDEX = 2, INDEX = 3, FILE_TO_DELETE = 4, NEW_MERGE = 5, BACKUP = 7;

    public final Path root;
    public final Path db;
    private final List<String> statements = new ArrayList<>();
    private final Map<String, int[]> tableShapes = new LinkedHashMap<>();   // table_id -> {dim, metric}
    /** collection -> partition ("" for none) -> id -> vector bytes, of every row that must arrive. */
    public final Map<String, Map<String, Map<Long, byte[]>>> expected = new LinkedHashMap<>();
    /** Ids written to the files that must not arrive (deleted, stale, dropped). */
    public final Set<Long> absent = new HashSet<>();
    private long nextFileRow = 1;

    Milvus1Fixture(Path root) {
        this.root = root;
        this.db = root.resolve("db");
    }

    public Path tables() {
        return db.resolve("tables");
    }

    Path segmentDir(String tableId, String segmentId) {
        return tables().resolve(tableId).resolve(segmentId);
    }

    void table(String tableId, int state, int dimension, int metric, String owner, String tag) {
        table(tableId, state, dimension, metric, owner, tag, metric >= HAMMING ? 9 : 1, "{}");
    }

    /** A {@code Tables} row with the index it was built with ({@code engine_type}, {@code index_params}). */
    void table(String tableId, int state, int dimension, int metric, String owner, String tag, int engineType,
               String indexParams) {
        boolean binary = metric >= HAMMING;
        tableShapes.put(tableId, new int[] {dimension, metric});
        statements.add("INSERT INTO Tables VALUES(NULL, '" + tableId + "', " + state + ", " + dimension + ", "
                + 1_600_000_000_000_000L + ", 0, 1073741824, " + engineType + ", '" + indexParams + "', "
                + metric + ", '"
                + owner + "', '" + tag + "', '1.1.0', 0)");
        if (state == NORMAL && owner.isEmpty()) {
            expected.computeIfAbsent(tableId, k -> new LinkedHashMap<>());
        }
    }

    /**
     * Writes a segment's files and its {@code TableFiles} row ({@code row_count} = rows minus deletes, as Milvus
     * 1.x keeps it).
     *
     * @param arrivesIn the collection its live rows must arrive in, or null if none of its rows may arrive
     * @param partition the partition they arrive in ("" for the default)
     */
    void segment(String tableId, String segmentId, int fileType, long firstId, int rows, int[] deleted,
                 String arrivesIn, String partition) {
        int dim = tableShapes.get(tableId)[0];
        boolean binary = tableShapes.get(tableId)[1] >= HAMMING;
        int rowBytes = binary ? dim / 8 : dim * 4;
        Random random = new Random(segmentId.hashCode() * 31L + tableId.hashCode());
        ByteBuffer vectors = ByteBuffer.allocate(rows * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] ids = new long[rows];
        for (int r = 0; r < rows; r++) {
            ids[r] = firstId + r;
            if (binary) {
                byte[] b = new byte[rowBytes];
                random.nextBytes(b);
                vectors.put(b);
            } else {
                for (int d = 0; d < dim; d++) {
                    vectors.putFloat(random.nextFloat() * 2 - 1);
                }
            }
        }
        BitSet del = new BitSet();
        for (int o : deleted) {
            del.set(o);
        }
        byte[] raw = vectors.array();
        for (int r = 0; r < rows; r++) {
            if (arrivesIn != null && !del.get(r)) {
                byte[] v = java.util.Arrays.copyOfRange(raw, r * rowBytes, (r + 1) * rowBytes);
                expected.get(arrivesIn).computeIfAbsent(partition, k -> new LinkedHashMap<>()).put(ids[r], v);
            } else {
                absent.add(ids[r]);
            }
        }
        Path dir = segmentDir(tableId, segmentId);
        ByteBuffer idBytes = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long id : ids) {
            idBytes.putLong(id);
        }
        ByteBuffer delBytes = ByteBuffer.allocate(deleted.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int o : deleted) {
            delBytes.putInt(o);
        }
        write(dir.resolve(segmentId + ".rv"), raw);
        write(dir.resolve(segmentId + ".uid"), idBytes.array());
        write(dir.resolve("deleted_docs"), delBytes.array());
        writeRaw(dir.resolve("bloom_filter"), "bloom_0 not read".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long live = rows - del.cardinality();
        fileRow(tableId, segmentId, segmentId, fileType, (long) rows * (rowBytes + 8), live);
    }

    /** An index file of a segment (type INDEX): bytes no reader may take as vectors, and its catalogue row. */
    void indexFile(String tableId, String segmentId, String fileId, long rowCount) {
        writeRaw(segmentDir(tableId, segmentId).resolve(fileId), new byte[] {1, 2, 3, 4, 5, 6, 7});
        fileRow(tableId, segmentId, fileId, INDEX, 7, rowCount);
    }

    private void fileRow(String tableId, String segmentId, String fileId, int type, long size, long rows) {
        statements.add("INSERT INTO TableFiles VALUES(NULL, '" + tableId + "', '" + segmentId + "', 1, '" + fileId
                + "', " + type + ", " + size + ", " + rows + ", " + nextFileRow + ", " + nextFileRow + ", 20240101, "
                + nextFileRow++ + ")");
    }

    /** Writes {@code db/meta.sqlite} as Milvus 1.1 creates it, with the rows declared so far. */
    Milvus1Fixture writeCatalogue() {
        try {
            Files.createDirectories(db);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var all = new ArrayList<String>();
        all.add("CREATE TABLE IF NOT EXISTS Environment(global_lsn INTEGER DEFAULT (0) NOT NULL)");
        all.add("CREATE TABLE IF NOT EXISTS Tables(id INTEGER PRIMARY KEY NOT NULL, table_id TEXT UNIQUE NOT NULL,"
                + " state INTEGER NOT NULL, dimension INTEGER NOT NULL, created_on INTEGER NOT NULL,"
                + " flag INTEGER DEFAULT (0) NOT NULL, index_file_size INTEGER NOT NULL,"
                + " engine_type INTEGER NOT NULL, index_params TEXT NOT NULL, metric_type INTEGER NOT NULL,"
                + " owner_table TEXT DEFAULT ('') NOT NULL, partition_tag TEXT DEFAULT ('') NOT NULL,"
                + " version TEXT DEFAULT ('1.1.0') NOT NULL, flush_lsn INTEGER NOT NULL)");
        all.add("CREATE TABLE IF NOT EXISTS TableFiles(id INTEGER PRIMARY KEY NOT NULL, table_id TEXT NOT NULL,"
                + " segment_id TEXT DEFAULT ('') NOT NULL, engine_type INTEGER NOT NULL, file_id TEXT NOT NULL,"
                + " file_type INTEGER NOT NULL, file_size INTEGER DEFAULT (0) NOT NULL,"
                + " row_count INTEGER DEFAULT (0) NOT NULL, updated_time INTEGER NOT NULL,"
                + " created_on INTEGER NOT NULL, date INTEGER NOT NULL, flush_lsn INTEGER NOT NULL)");
        all.add("CREATE TABLE IF NOT EXISTS Fields(collection_id TEXT NOT NULL, field_name TEXT NOT NULL,"
                + " field_type INTEGER NOT NULL, field_params TEXT NOT NULL)");
        all.add("INSERT INTO Environment VALUES(" + nextFileRow + ")");
        all.addAll(statements);
        sql(all.toArray(String[]::new));
        return this;
    }

    /**
     * Writes the catalogue declared so far into a MySQL/MariaDB database (which should hold no Milvus tables yet):
     * {@code Environment}, {@code Tables}, {@code TableFiles} and {@code Fields} with the columns, types and
     * defaults of Milvus 1.1's {@code MySQLMetaImpl}, then the same rows as {@code meta.sqlite}.
     */
    public Milvus1Fixture writeMysqlCatalogue(String jdbcUrl, String user, String password) {
        var all = new ArrayList<String>();
        all.add("CREATE TABLE IF NOT EXISTS Tables (id BIGINT PRIMARY KEY AUTO_INCREMENT,"
                + " table_id VARCHAR(255) UNIQUE NOT NULL, state INT NOT NULL, dimension SMALLINT NOT NULL,"
                + " created_on BIGINT NOT NULL, flag BIGINT DEFAULT 0 NOT NULL,"
                + " index_file_size BIGINT DEFAULT 1024 NOT NULL, engine_type INT DEFAULT 1 NOT NULL,"
                + " index_params VARCHAR(512) NOT NULL, metric_type INT DEFAULT 1 NOT NULL,"
                + " owner_table VARCHAR(255) NOT NULL, partition_tag VARCHAR(255) NOT NULL,"
                + " version VARCHAR(64) DEFAULT '1.1.0', flush_lsn BIGINT DEFAULT 0 NOT NULL)");
        all.add("CREATE TABLE IF NOT EXISTS TableFiles (id BIGINT PRIMARY KEY AUTO_INCREMENT,"
                + " table_id VARCHAR(255) NOT NULL, segment_id VARCHAR(255) NOT NULL,"
                + " engine_type INT DEFAULT 1 NOT NULL, file_id VARCHAR(255) NOT NULL,"
                + " file_type INT DEFAULT 0 NOT NULL, file_size BIGINT DEFAULT 0 NOT NULL,"
                + " row_count BIGINT DEFAULT 0 NOT NULL, updated_time BIGINT NOT NULL, created_on BIGINT NOT NULL,"
                + " date INT DEFAULT -1 NOT NULL, flush_lsn BIGINT DEFAULT 0 NOT NULL)");
        all.add("CREATE TABLE IF NOT EXISTS Environment (global_lsn BIGINT NOT NULL)");
        all.add("CREATE TABLE IF NOT EXISTS Fields (collection_id VARCHAR(255) NOT NULL,"
                + " field_name VARCHAR(255) NOT NULL, field_type INT DEFAULT 0 NOT NULL,"
                + " field_params VARCHAR(255) NOT NULL)");
        all.add("INSERT INTO Environment VALUES(" + nextFileRow + ")");
        all.addAll(statements);
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             Statement st = c.createStatement()) {
            for (String s : all) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the Milvus 1.x catalogue into " + jdbcUrl + ": "
                    + e.getMessage(), e);
        }
        return this;
    }

    /** Runs statements against the catalogue (for tests that damage it). */
    public void sql(String... sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.resolve("meta.sqlite"));
             Statement st = c.createStatement()) {
            st.execute("pragma journal_mode = WAL");
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every id that must arrive in a collection, over all its partitions. */
    public Map<Long, byte[]> expectedRows(String collection) {
        var out = new LinkedHashMap<Long, byte[]>();
        expected.get(collection).values().forEach(out::putAll);
        return out;
    }

    static void write(Path file, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(payload.length).put(payload);
        writeRaw(file, b.array());
    }

    static void writeRaw(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The standard scenario, collection names starting with {@code p}:
     * <ul>
     *   <li>{@code <p>flt} (float, dim 16, L2): a raw segment with deletes at the first, middle and last offsets;
     *   an indexed segment (raw kept as backup, plus its index file); a to-index segment; a segment merged away
     *   (to-delete); a segment being merged (new-merge); partition {@code tag_a} with deletes; partition
     *   {@code tag_b} dropped (to-delete)</li>
     *   <li>{@code <p>ip} (float, dim 8, IP): a segment whose every row is deleted, and one more</li>
     *   <li>{@code <p>bin} (binary, dim 64, HAMMING): deletes at first, middle, last; partition {@code bin_p} with
     *   an indexed segment</li>
     *   <li>{@code <p>tan} (binary, dim 16, TANIMOTO → JACCARD)</li>
     *   <li>{@code <p>dropped} (to-delete) and a live-looking partition of it</li>
     * </ul>
     */
    public static Milvus1Fixture standard(Path root, String p) {
        var f = new Milvus1Fixture(root);
        f.table(p + "flt", NORMAL, 16, L2, "", "");
        f.table(p + "flt_1", NORMAL, 16, L2, p + "flt", "tag_a");
        f.table(p + "flt_2", TO_DELETE, 16, L2, p + "flt", "tag_b");
        f.segment(p + "flt", "1001", RAW, 1000, 50, new int[] {0, 25, 49}, p + "flt", "");
        f.segment(p + "flt", "1002", BACKUP, 2000, 40, new int[] {}, p + "flt", "");
        f.indexFile(p + "flt", "1002", "1002_ivf", 40);
        f.segment(p + "flt", "1003", FILE_TO_DELETE, 9000, 30, new int[] {}, null, "");
        f.segment(p + "flt", "1004", TO_INDEX, 3000, 20, new int[] {10}, p + "flt", "");
        f.segment(p + "flt", "1005", NEW_MERGE, 9100, 10, new int[] {}, null, "");
        f.segment(p + "flt_1", "1101", RAW, 4000, 25, new int[] {24, 0, 12}, p + "flt", "tag_a");
        f.segment(p + "flt_2", "1201", RAW, 9200, 10, new int[] {}, null, "");

        f.table(p + "ip", NORMAL, 8, IP, "", "");
        int[] all = new int[64];
        for (int i = 0; i < all.length; i++) {
            all[i] = 63 - i;
        }
        f.segment(p + "ip", "2001", RAW, 9300, 64, all, null, "");
        f.segment(p + "ip", "2002", RAW, 5000, 33, new int[] {32}, p + "ip", "");

        f.table(p + "bin", NORMAL, 64, HAMMING, "", "");
        f.table(p + "bin_1", NORMAL, 64, HAMMING, p + "bin", "bin_p");
        f.segment(p + "bin", "3001", RAW, 6000, 40, new int[] {0, 20, 39}, p + "bin", "");
        f.segment(p + "bin_1", "3101", BACKUP, 6100, 15, new int[] {}, p + "bin", "bin_p");
        f.indexFile(p + "bin_1", "3101", "3101_bin_ivf", 15);

        f.table(p + "tan", NORMAL, 16, TANIMOTO, "", "");
        f.segment(p + "tan", "4001", RAW, 7000, 12, new int[] {5}, p + "tan", "");

        f.table(p + "dropped", TO_DELETE, 16, L2, "", "");
        f.table(p + "dropped_1", NORMAL, 16, L2, p + "dropped", "gone");
        f.segment(p + "dropped", "5001", RAW, 9500, 10, new int[] {}, null, "");
        f.segment(p + "dropped_1", "5101", RAW, 9600, 10, new int[] {}, null, "");
        return f.writeCatalogue();
    }

    /**
     * One float collection {@code name} (metric L2) of {@code segments} raw segments of {@code rows} rows each,
     * every third in partition {@code p1}, each with deletes at its first, middle and last offsets and a few
     * scattered ones: for long runs (kill and resume) in migration-cli's tests.
     */
    public static Milvus1Fixture segments(Path root, String name, int segments, int rows, int dimension) {
        var f = new Milvus1Fixture(root);
        f.table(name, NORMAL, dimension, L2, "", "");
        f.table(name + "_p1", NORMAL, dimension, L2, name, "p1");
        for (int s = 0; s < segments; s++) {
            boolean inPartition = s % 3 == 2;
            int[] deleted = {0, rows / 2, rows - 1, 7 + s, rows / 3 + s};
            f.segment(inPartition ? name + "_p1" : name, String.valueOf(10_000 + s), RAW, 1_000_000L * (s + 1),
                    rows, deleted, name, inPartition ? "p1" : "");
        }
        return f.writeCatalogue();
    }
}
