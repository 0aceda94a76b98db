package io.milvus.migration.core;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CheckpointStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's records of a job as kept in a {@link CheckpointStore}: one entry per job, collection, split and file
 * group, each a small JSON document, so that a store needs to know nothing of them and fields can be added.
 */
final class JobRecords {
    static final String JOB = "job";
    static final String PLAN = "plan";
    static final String COLLECTION = "collection";
    static final String SPLIT = "split";
    static final String GROUP = "group";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JobRecords() {
    }

    /** The job itself. */
    static final class Job {
        String id;
        String verb;
        String state;
        String fingerprint;
        int attempts;
        String created;
        String updated;
        String error = "";
        long rowsRead;
        long rowsLoaded;
        List<String> collections = new ArrayList<>();
        String source = "";
        String target = "";
    }

    /** What a collection looked like when the job was planned: to refuse resuming over a changed source. */
    static final class Plan {
        String collection;
        String schema;
        /** Split id to "rows|partition". */
        Map<String, String> splits = new LinkedHashMap<>();
    }

    /** A target collection of the job. */
    static final class Collection {
        String name;
        boolean created;
        long rowsBefore;
        boolean completed;
        /** Insert mode: rows sent again as upserts after an interruption (the target may count them twice until
         * it compacts). */
        long replayedRows;
    }

    /** How far a split has been read into published groups (or inserted). */
    static final class Split {
        String collection;
        String split;
        long rowsRead;
        String cursor = "";
        /** Rows of the batch read after {@code cursor} that are staged already: skipped when reading on. */
        long skip;
        boolean done;
        /** Insert mode: rows up to this count may be in the target already (a batch was being inserted). */
        long pendingRows = -1;
    }

    /**
     * Rows of one split that a group holds: from {@code fromSkip} rows into the batch read after position
     * {@code from}, up to {@code toSkip} rows into the batch read after position {@code to}.
     */
    static final class Range {
        String split;
        long fromRows;
        String fromCursor = "";
        long fromSkip;
        long toRows;
        String toCursor = "";
        long toSkip;
        boolean last;
    }

    /** The states of a file group. */
    enum GroupState { STAGED, SUBMITTING, SUBMITTED, COMMITTED }

    /** One group of staged files and its import. */
    static final class Group {
        String id;
        String collection;
        /** The storage key prefix of its files (a directory). */
        String dir;
        String partition = "";
        String format;
        List<String> keys = new ArrayList<>();
        long rows;
        long bytes;
        List<Range> ranges = new ArrayList<>();
        GroupState state = GroupState.STAGED;
        String importId = "";
        int attempts;
        String error = "";
    }

    static CheckpointStore.Entry entry(String kind, String key, Object value) {
        try {
            return new CheckpointStore.Entry(kind, key, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.INTERNAL, "cannot write checkpoint entry " + kind + "/" + key, e);
        }
    }

    static <T> T parse(CheckpointStore store, CheckpointStore.Entry e, Class<T> type) {
        try {
            return JSON.readValue(e.value(), type);
        } catch (IOException ex) {
            throw new MigrationException(ErrorCode.CHECKPOINT_IO, "checkpoint store " + store.describe()
                    + " holds an unreadable " + e.kind() + " entry " + e.key() + ": " + ex.getMessage(), ex);
        }
    }

    static String splitKey(String collection, String split) {
        return collection + "/" + split;
    }
}
