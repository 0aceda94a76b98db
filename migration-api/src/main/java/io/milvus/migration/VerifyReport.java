package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What {@link Migration#verify()} found: per collection the rows per partition on both sides, how many sampled rows
 * matched, and the search agreement. {@link #passed()} is false if any check failed; {@link #failures()} names the
 * collection, partition or id at fault. Immutable; built by the engine.
 */
public final class VerifyReport {
    private final List<Collection> collections;

    private VerifyReport(List<Collection> collections) {
        this.collections = List.copyOf(collections);
    }

    /** A report of these collections; called by engines. */
    public static VerifyReport of(List<Collection> collections) {
        return new VerifyReport(requireNonNull(collections, "collections is null"));
    }

    /** The collections checked, in order; empty if the source holds none. */
    public List<Collection> collections() {
        return collections;
    }

    /** Whether every check of every collection passed. */
    public boolean passed() {
        return collections.stream().allMatch(Collection::passed);
    }

    /** Every failed check, each naming its collection; empty when all passed. */
    public List<String> failures() {
        return collections.stream().flatMap(c -> c.failures().stream()).toList();
    }

    @Override
    public String toString() {
        return "VerifyReport[" + (passed() ? "passed" : "failed: " + failures()) + ", " + collections + "]";
    }

    /** The checks of one collection. */
    public static final class Collection {
        private final String name;
        private final Map<String, Long> sourceRows;
        private final Map<String, Long> targetRows;
        private final int sampled;
        private final int sampleMatched;
        private final int queries;
        private final Double recall;
        private final String index;
        private final List<String> failures;

        private Collection(Builder b) {
            this.name = b.name;
            this.sourceRows = Collections.unmodifiableMap(new LinkedHashMap<>(b.sourceRows));
            this.targetRows = Collections.unmodifiableMap(new LinkedHashMap<>(b.targetRows));
            this.sampled = b.sampled;
            this.sampleMatched = b.sampleMatched;
            this.queries = b.queries;
            this.recall = b.recall;
            this.index = b.index;
            this.failures = List.copyOf(b.failures);
        }

        /** Starts the checks of a collection (its target name). */
        public static Builder builder(String name) {
            return new Builder(name);
        }

        /** The collection's name in the target. */
        public String name() {
            return name;
        }

        /** Rows per partition read from the source ("" for the default partition). */
        public Map<String, Long> sourceRows() {
            return sourceRows;
        }

        /** Rows per partition the target holds ("" for the default partition). */
        public Map<String, Long> targetRows() {
            return targetRows;
        }

        /** Rows compared field by field. */
        public int sampled() {
            return sampled;
        }

        /** Sampled rows found in the target with every field equal. */
        public int sampleMatched() {
            return sampleMatched;
        }

        /** Query vectors searched; 0 when the search check did not run. */
        public int queries() {
            return queries;
        }

        /** Recall@k of the target's search against exact search over the source's vectors; empty if not run. */
        public OptionalDouble recall() {
            return recall == null ? OptionalDouble.empty() : OptionalDouble.of(recall);
        }

        /** The target's index on the vector field, as searched ("" if none). */
        public String index() {
            return index;
        }

        /** Failed checks, each naming the collection and the partition or id; empty when all passed. */
        public List<String> failures() {
            return failures;
        }

        /** Whether every check passed. */
        public boolean passed() {
            return failures.isEmpty();
        }

        @Override
        public String toString() {
            return name + "[source " + sourceRows + ", target " + targetRows + ", sample " + sampleMatched + "/"
                    + sampled + (recall == null ? "" : ", recall " + recall) + ", failures " + failures.size() + "]";
        }

        /** Collects one collection's checks; not thread-safe. */
        public static final class Builder {
            private final String name;
            private final Map<String, Long> sourceRows = new LinkedHashMap<>();
            private final Map<String, Long> targetRows = new LinkedHashMap<>();
            private int sampled;
            private int sampleMatched;
            private int queries;
            private Double recall;
            private String index = "";
            private final List<String> failures = new ArrayList<>();

            private Builder(String name) {
                this.name = requireNonNull(name, "name is null");
            }

            /** Rows per partition on each side. */
            public Builder rows(Map<String, Long> source, Map<String, Long> target) {
                sourceRows.putAll(source);
                targetRows.putAll(target);
                return this;
            }

            /** Rows compared and matched. */
            public Builder sample(int compared, int matched) {
                this.sampled = compared;
                this.sampleMatched = matched;
                return this;
            }

            /** The search check's queries and recall. */
            public Builder search(int n, double recallAtK, String indexDescription) {
                this.queries = n;
                this.recall = recallAtK;
                this.index = requireNonNull(indexDescription, "indexDescription is null");
                return this;
            }

            /** Adds a failed check; its text names the collection and the partition or id. */
            public Builder failure(String failure) {
                failures.add(requireNonNull(failure, "failure is null"));
                return this;
            }

            /** Freezes it. */
            public Collection build() {
                return new Collection(this);
            }
        }
    }
}
