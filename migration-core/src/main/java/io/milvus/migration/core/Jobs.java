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

    /** Forgets a job; returns whether the store knew it. Staged files and target collections are left as they are. */
    public static boolean drop(CheckpointStore store, String id) {
        boolean known = !store.read(id).isEmpty();
        store.drop(id);
        return known;
    }
}
