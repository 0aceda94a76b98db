package io.milvus.migration;

import static java.util.Objects.requireNonNull;

/**
 * How {@link Migration#verify(VerifyOptions)} checks a migration. Immutable; built by {@link #builder()}.
 */
public final class VerifyOptions {
    private final int sampleRows;
    private final int queries;
    private final int topK;
    private final double minRecall;
    private final long seed;

    private VerifyOptions(Builder b) {
        this.sampleRows = b.sampleRows;
        this.queries = b.queries;
        this.topK = b.topK;
        this.minRecall = b.minRecall;
        this.seed = b.seed;
    }

    /** The defaults: 1,000 sampled rows and 100 queries of top-10 per collection, recall at least 0.95. */
    public static VerifyOptions defaults() {
        return builder().build();
    }

    /** Starts a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** Rows per collection compared field by field. */
    public int sampleRows() {
        return sampleRows;
    }

    /** Query vectors per collection for the search check; 0 skips it. */
    public int queries() {
        return queries;
    }

    /** Neighbours compared per query. */
    public int topK() {
        return topK;
    }

    /** Lowest recall@topK the search check passes with. */
    public double minRecall() {
        return minRecall;
    }

    /** Seed of the row sample, so that runs pick the same rows. */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "VerifyOptions[sampleRows=" + sampleRows + ", queries=" + queries + ", topK=" + topK
                + ", minRecall=" + minRecall + "]";
    }

    /** Collects the options; not thread-safe. */
    public static final class Builder {
        private int sampleRows = 1000;
        private int queries = 100;
        private int topK = 10;
        private double minRecall = 0.95;
        private long seed = 42;

        private Builder() {
        }

        /** Rows per collection compared field by field with the source. Default 1000. */
        public Builder sampleRows(int n) {
            if (n < 0) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "sampleRows must be >= 0: " + n);
            }
            this.sampleRows = n;
            return this;
        }

        /** Query vectors per collection (taken from the sampled rows) for the search check; 0 skips it. Default
         * 100. */
        public Builder queries(int n) {
            if (n < 0) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "queries must be >= 0: " + n);
            }
            this.queries = n;
            return this;
        }

        /** Neighbours compared per query. Default 10. */
        public Builder topK(int k) {
            if (k < 1 || k > 16384) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "topK must be 1..16384: " + k);
            }
            this.topK = k;
            return this;
        }

        /** Lowest recall@topK the search check passes with. Default 0.95. */
        public Builder minRecall(double recall) {
            if (!(recall >= 0 && recall <= 1)) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "minRecall must be in [0, 1]: " + recall);
            }
            this.minRecall = recall;
            return this;
        }

        /** Seed of the row sample. Default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Freezes the options. */
        public VerifyOptions build() {
            requireNonNull(this, "builder");
            return new VerifyOptions(this);
        }
    }
}
