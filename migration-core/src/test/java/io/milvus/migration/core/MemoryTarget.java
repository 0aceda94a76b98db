package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.BulkFileGroup;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.ImportStatus;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.Target;
import io.milvus.migration.spi.TargetCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory target double for fast tests of the engine: collections of (id, vector) rows kept as a list (so
 * duplicates show), NumPy groups imported by reading the staged files, an import completing after a few polls,
 * and a hook called at every step that may throw (a crash, or a transient {@code TARGET_UNAVAILABLE}).
 */
public final class MemoryTarget implements Target {
    final Map<String, Coll> collections = new LinkedHashMap<>();
    private final boolean bulk;
    private volatile Consumer<String> fault = step -> { };
    private final AtomicInteger running = new AtomicInteger();
    /** Most imports running at once, seen. */
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger submits = new AtomicInteger();
    private final AtomicInteger nextImport = new AtomicInteger(1);
    private final Map<String, Import> imports = new LinkedHashMap<>();
    /** Polls an import needs before it completes. */
    int pollsToComplete = 2;
    /** Imports (by submission order, from 1) that fail once, retryably. */
    final java.util.Set<Integer> failOnce = new java.util.HashSet<>();

    public MemoryTarget(boolean bulk) {
        this.bulk = bulk;
    }

    /** Calls {@code hook} with the step's name (open, count, insert, submit, submitted, status, find, finish). */
    public MemoryTarget fault(Consumer<String> hook) {
        this.fault = hook;
        return this;
    }

    /** A collection's rows, duplicates included, in arrival order. */
    record Row(long id, float[] vector) {
    }

    static final class Coll {
        final String jobId;
        final List<Row> rows = new ArrayList<>();
        boolean finished;

        Coll(String jobId) {
            this.jobId = jobId;
        }
    }

    private record Import(String collection, List<String> files, List<Row> rows, int number) {
    }

    private final Map<String, Integer> polls = new LinkedHashMap<>();

    @Override
    public String describe() {
        return "memory-target";
    }

    @Override
    public boolean bulkImport() {
        return bulk;
    }

    @Override
    public synchronized TargetCollection open(CollectionSchema schema, String jobId, boolean resume) {
        fault.accept("open");
        Coll c = collections.get(schema.name());
        boolean created;
        if (c == null) {
            c = new Coll(jobId);
            collections.put(schema.name(), c);
            created = true;
        } else {
            created = c.jobId.equals(jobId);
        }
        return new Collection(schema.name(), c, created);
    }

    @Override
    public void close() {
    }

    synchronized List<Row> rows(String collection) {
        return List.copyOf(collections.get(collection).rows);
    }

    private final class Collection implements TargetCollection {
        private final String name;
        private final Coll coll;
        private final boolean created;

        Collection(String name, Coll coll, boolean created) {
            this.name = name;
            this.coll = coll;
            this.created = created;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean created() {
            return created;
        }

        @Override
        public long rowCount() {
            fault.accept("count");
            synchronized (MemoryTarget.this) {
                return coll.rows.size();
            }
        }

        @Override
        public void insert(String partition, Batch batch, boolean replace) {
            fault.accept("insert");
            long[] ids = ((Column.Longs) batch.column("id")).values();
            var v = (Column.FloatVectors) batch.column("vector");
            synchronized (MemoryTarget.this) {
                for (int i = 0; i < ids.length; i++) {
                    long id = ids[i];
                    if (replace) {
                        coll.rows.removeIf(r -> r.id() == id);
                    }
                    coll.rows.add(new Row(id, java.util.Arrays.copyOfRange(v.values(), i * v.dimension(),
                            (i + 1) * v.dimension())));
                }
            }
        }

        @Override
        public String submitImport(BulkFileGroup group, Storage staging) {
            fault.accept("submit");
            List<Row> rows = readGroup(group, staging);
            String id;
            synchronized (MemoryTarget.this) {
                int number = submits.incrementAndGet();
                id = "imp-" + nextImport.getAndIncrement();
                imports.put(id, new Import(name, group.keys(), rows, number));
                polls.put(id, 0);
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            }
            fault.accept("submitted");
            return id;
        }

        @Override
        public ImportStatus importStatus(String importId) {
            fault.accept("status");
            synchronized (MemoryTarget.this) {
                Import imp = imports.get(importId);
                if (imp == null) {
                    throw new MigrationException(ErrorCode.IMPORT_FAILED, "no import " + importId);
                }
                int n = polls.merge(importId, 1, Integer::sum);
                if (n == pollsToComplete) {
                    running.decrementAndGet();
                    if (failOnce.remove(imp.number())) {
                        polls.put(importId, -1_000_000);
                        return new ImportStatus(ImportStatus.State.FAILED, 0, "connection reset", true);
                    }
                    coll.rows.addAll(imp.rows());
                }
                if (n < 0) {
                    return new ImportStatus(ImportStatus.State.FAILED, 0, "connection reset", true);
                }
                return n >= pollsToComplete ? new ImportStatus(ImportStatus.State.COMPLETED, imp.rows().size(), "",
                        false) : new ImportStatus(ImportStatus.State.RUNNING, 0, "", false);
            }
        }

        @Override
        public Optional<String> findImport(BulkFileGroup group, Storage staging) {
            fault.accept("find");
            synchronized (MemoryTarget.this) {
                return imports.entrySet().stream().filter(e -> e.getValue().files().equals(group.keys())
                        && e.getValue().collection().equals(name) && polls.get(e.getKey()) >= 0)
                        .map(Map.Entry::getKey).findFirst();
            }
        }

        @Override
        public void finish() {
            fault.accept("finish");
            coll.finished = true;
        }

        @Override
        public void drop() {
            synchronized (MemoryTarget.this) {
                collections.remove(name);
            }
        }
    }

    private static List<Row> readGroup(BulkFileGroup group, Storage staging) {
        try {
            Path idFile = staging.localPath(group.keys().stream().filter(k -> k.endsWith("/id.npy")).findFirst()
                    .orElseThrow()).orElseThrow();
            Path vectorFile = staging.localPath(group.keys().stream().filter(k -> k.endsWith("/vector.npy"))
                    .findFirst().orElseThrow()).orElseThrow();
            if (!Files.exists(idFile)) {
                throw new MigrationException(ErrorCode.IMPORT_FAILED, "no file " + idFile);
            }
            long[] ids = Npy.read(idFile).longs();
            Npy v = Npy.read(vectorFile);
            float[] floats = v.floats();
            var rows = new ArrayList<Row>();
            for (int i = 0; i < ids.length; i++) {
                rows.add(new Row(ids[i], java.util.Arrays.copyOfRange(floats, i * v.width(), (i + 1) * v.width())));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
