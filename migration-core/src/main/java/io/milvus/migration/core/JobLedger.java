package io.milvus.migration.core;

import io.milvus.migration.core.JobRecords.Group;
import io.milvus.migration.core.JobRecords.Job;
import io.milvus.migration.core.JobRecords.Plan;
import io.milvus.migration.spi.CheckpointStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of one job, read from its checkpoint store once and written through on every change: what the engine
 * consults to resume. Thread-safe (workers publish groups, the loader commits them).
 */
final class JobLedger {
    private final CheckpointStore store;
    private final String jobId;
    private Job job;
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private final Map<String, JobRecords.Collection> collections = new LinkedHashMap<>();
    private final Map<String, JobRecords.Split> splits = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();

    private JobLedger(CheckpointStore store, String jobId) {
        this.store = store;
        this.jobId = jobId;
    }

    static JobLedger read(CheckpointStore store, String jobId) {
        var ledger = new JobLedger(store, jobId);
        for (CheckpointStore.Entry e : store.read(jobId)) {
            switch (e.kind()) {
                case JobRecords.JOB -> ledger.job = JobRecords.parse(store, e, Job.class);
                case JobRecords.PLAN -> ledger.plans.put(e.key(), JobRecords.parse(store, e, Plan.class));
                case JobRecords.COLLECTION -> ledger.collections.put(e.key(),
                        JobRecords.parse(store, e, JobRecords.Collection.class));
                case JobRecords.SPLIT -> ledger.splits.put(e.key(), JobRecords.parse(store, e,
                        JobRecords.Split.class));
                case JobRecords.GROUP -> ledger.groups.put(e.key(), JobRecords.parse(store, e, Group.class));
                default -> {
                    // written by a newer version: kept, not used
                }
            }
        }
        return ledger;
    }

    String jobId() {
        return jobId;
    }

    CheckpointStore store() {
        return store;
    }

    synchronized Optional<Job> job() {
        return Optional.ofNullable(job);
    }

    synchronized void save(Job j) {
        j.updated = java.time.Instant.now().toString();
        store.write(jobId, List.of(JobRecords.entry(JobRecords.JOB, JobRecords.JOB, j)));
        job = j;
    }

    /** Records a new job with its plans, in one write. */
    synchronized void begin(Job j, List<Plan> newPlans) {
        j.updated = java.time.Instant.now().toString();
        var entries = new ArrayList<CheckpointStore.Entry>();
        for (Plan p : newPlans) {
            entries.add(JobRecords.entry(JobRecords.PLAN, p.collection, p));
        }
        entries.add(JobRecords.entry(JobRecords.JOB, JobRecords.JOB, j));
        store.write(jobId, entries);
        newPlans.forEach(p -> plans.put(p.collection, p));
        job = j;
    }

    synchronized Optional<Plan> plan(String collection) {
        return Optional.ofNullable(plans.get(collection));
    }

    synchronized void save(Plan p) {
        store.write(jobId, List.of(JobRecords.entry(JobRecords.PLAN, p.collection, p)));
        plans.put(p.collection, p);
    }

    synchronized Map<String, Plan> plans() {
        return new LinkedHashMap<>(plans);
    }

    synchronized Optional<JobRecords.Collection> collection(String name) {
        return Optional.ofNullable(collections.get(name));
    }

    synchronized void save(JobRecords.Collection c) {
        store.write(jobId, List.of(JobRecords.entry(JobRecords.COLLECTION, c.name, c)));
        collections.put(c.name, c);
    }

    synchronized Optional<JobRecords.Split> split(String collection, String split) {
        return Optional.ofNullable(splits.get(JobRecords.splitKey(collection, split)));
    }

    synchronized void save(JobRecords.Split s) {
        String key = JobRecords.splitKey(s.collection, s.split);
        store.write(jobId, List.of(JobRecords.entry(JobRecords.SPLIT, key, s)));
        splits.put(key, s);
    }

    synchronized List<Group> groups(String collection) {
        return groups.values().stream().filter(g -> g.collection.equals(collection)).toList();
    }

    synchronized void save(Group g) {
        store.write(jobId, List.of(JobRecords.entry(JobRecords.GROUP, g.id, g)));
        groups.put(g.id, g);
    }

    /** Records a published group and the split positions it moves forward, in one write. */
    synchronized void publish(Group g, List<JobRecords.Split> moved) {
        var entries = new ArrayList<CheckpointStore.Entry>();
        entries.add(JobRecords.entry(JobRecords.GROUP, g.id, g));
        for (JobRecords.Split s : moved) {
            entries.add(JobRecords.entry(JobRecords.SPLIT, JobRecords.splitKey(s.collection, s.split), s));
        }
        store.write(jobId, entries);
        groups.put(g.id, g);
        moved.forEach(s -> splits.put(JobRecords.splitKey(s.collection, s.split), s));
    }

    /** Records the groups of a whole split and the split's end, in one write. */
    synchronized void publishAll(List<Group> newGroups, JobRecords.Split done) {
        var entries = new ArrayList<CheckpointStore.Entry>();
        for (Group g : newGroups) {
            entries.add(JobRecords.entry(JobRecords.GROUP, g.id, g));
        }
        entries.add(JobRecords.entry(JobRecords.SPLIT, JobRecords.splitKey(done.collection, done.split), done));
        store.write(jobId, entries);
        newGroups.forEach(g -> groups.put(g.id, g));
        splits.put(JobRecords.splitKey(done.collection, done.split), done);
    }

    /** Rows of committed groups of a collection, over every attempt. */
    synchronized long committedRows(String collection) {
        return groups(collection).stream().filter(g -> g.state == JobRecords.GroupState.COMMITTED)
                .mapToLong(g -> g.rows).sum();
    }
}
