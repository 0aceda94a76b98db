package io.milvus.migration.core;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.core.JobRecords.GroupState;
import io.milvus.migration.spi.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The jobs a checkpoint store holds, as fronts (the CLI's {@code jobs}, a REST server) show them.
 */
public final class Jobs {
    private Jobs() {
    }

    /**
     * What a store says of one job.
     *
     * @param id          the job id
     * @param verb        RUN, DUMP or LOAD
     * @param state       RUNNING (or interrupted while running), SUCCEEDED, FAILED, CANCELLED
     * @param attempts    runs of the job so far
     * @param created     when it started, ISO-8601
     * @param updated     when it was last recorded, ISO-8601
     * @param error       the last failure, "" if none
     * @param collections progress per collection
     */
    public record Info(String id, String verb, String state, int attempts, String created, String updated,
                       String error, List<CollectionInfo> collections) {
    }

    /**
     * Progress of one collection of a job.
     *
     * @param name           target collection
     * @param splitsDone     splits read completely
     * @param splitsTotal    splits planned
     * @param rowsRead       rows read into staged groups (or inserted)
     * @param rowsImported   rows of committed groups
     * @param groupsStaged   groups written, committed or not
     * @param groupsImported groups committed
     * @param completed      whether the collection was checked and finished
     */
    public record CollectionInfo(String name, int splitsDone, int splitsTotal, long rowsRead, long rowsImported,
                                 int groupsStaged, int groupsImported, boolean completed) {
    }

    /** Every job of the store, by id. */
    public static List<Info> list(CheckpointStore store) {
        requireNonNull(store, "store is null");
        var out = new ArrayList<Info>();
        for (String id : store.jobIds()) {
            get(store, id).ifPresent(out::add);
        }
        return out;
    }

    /** One job; empty if the store does not know it. */
    public static Optional<Info> get(CheckpointStore store, String id) {
        requireNonNull(id, "id is null");
        JobLedger ledger = JobLedger.read(store, id);
        var job = ledger.job().orElse(null);
        if (job == null) {
            return Optional.empty();
        }
        var collections = new ArrayList<CollectionInfo>();
        for (var plan : ledger.plans().values()) {
            String name = plan.collection;
            int done = 0;
            long read = 0;
            for (String split : plan.splits.keySet()) {
                var s = ledger.split(name, split).orElse(null);
                if (s != null) {
                    read += s.rowsRead + s.skip;
                    done += s.done ? 1 : 0;
                }
            }
            var groups = ledger.groups(name);
            if (plan.splits.isEmpty()) {
                read = groups.stream().mapToLong(g -> g.rows).sum();
            }
            collections.add(new CollectionInfo(name, done, plan.splits.size(), read, ledger.committedRows(name),
                    groups.size(), (int) groups.stream().filter(g -> g.state == GroupState.COMMITTED).count(),
                    ledger.collection(name).map(c -> c.completed).orElse(false)));
        }
        return Optional.of(new Info(job.id, job.verb, job.state, job.attempts, job.created, job.updated, job.error,
                List.copyOf(collections)));
    }

    /**
     * How far one split of a job has been read.
     *
     * @param collection  target collection
     * @param split       the split's id
     * @param rowsRead    rows read into published groups (or inserted)
     * @param rowsTotal   rows the source estimated when the job was planned, -1 if unknown
     * @param done        whether the split was read completely
     */
    public record SplitInfo(String collection, String split, long rowsRead, long rowsTotal, boolean done) {
    }

    /**
     * One group of staged files of a job and its import.
     *
     * @param collection target collection
     * @param id         the group's id
     * @param state      STAGED, SUBMITTING, SUBMITTED or COMMITTED
     * @param rows       rows it holds
     * @param bytes      bytes of its files
     * @param importId   the target's import task id, "" before it is submitted
     * @param error      the last failure of its import, "" if none
     */
    public record GroupInfo(String collection, String id, String state, long rows, long bytes, String importId,
                            String error) {
    }

    /** Every split of a job by collection, in plan order; empty for an unknown job. */
    public static List<SplitInfo> splits(CheckpointStore store, String id) {
        requireNonNull(id, "id is null");
        JobLedger ledger = JobLedger.read(store, id);
        var out = new ArrayList<SplitInfo>();
        for (var plan : ledger.plans().values()) {
            plan.splits.forEach((split, rowsAndPartition) -> {
                long total;
                try {
                    total = Long.parseLong(rowsAndPartition.substring(0, rowsAndPartition.indexOf('|')));
                } catch (RuntimeException e) {
                    total = -1; // written by another version
                }
                var s = ledger.split(plan.collection, split).orElse(null);
                out.add(new SplitInfo(plan.collection, split, s == null ? 0 : s.rowsRead + s.skip, total,
                        s != null && s.done));
            });
        }
        return out;
    }

    /** Every file group of a job, by collection; empty for an unknown job. */
    public static List<GroupInfo> groups(CheckpointStore store, String id) {
        requireNonNull(id, "id is null");
        JobLedger ledger = JobLedger.read(store, id);
        var out = new ArrayList<GroupInfo>();
        for (String collection : ledger.plans().keySet()) {
            for (var g : ledger.groups(collection)) {
                out.add(new GroupInfo(g.collection, g.id, g.state.name(), g.rows, g.bytes, g.importId, g.error));
            }
        }
        return out;
    }

    /** Forgets a job; returns whether the store knew it. Staged files and target collections are left as they are. */
    public static boolean drop(CheckpointStore store, String id) {
        boolean known = !store.read(id).isEmpty();
        store.drop(id);
        return known;
    }
}
