package io.milvus.migration.faiss;

import io.milvus.migration.spi.RemoteStorageSettings;

/**
 * The typed description of a {@link FaissSource} in a {@code migration.yaml} ({@code source.faiss}, or the old
 * tool's {@code source.local/remote.faissFile} with {@code target.create.collection.dim/metricType}), bound by
 * public fields.
 */
public class FaissSettings {
    /** The index file: a path, or with {@link #remote} a key in that store (a leading '/' is ignored). Required. */
    public String file;
    /** The object store holding {@link #file}, or null for a local file. */
    public RemoteStorageSettings remote;
    /** The dimension the file must have, or null to take the file's. */
    public Integer dim;
    /**
     * L2 or IP (must match the file), COSINE (any float index), HAMMING or JACCARD (binary indexes); null for the
     * file's own.
     */
    public String metricType;

    @Override
    public String toString() {
        return "FaissSettings[file=" + file + ", remote=" + remote + ", dim=" + dim + ", metricType=" + metricType
                + "]";
    }
}
