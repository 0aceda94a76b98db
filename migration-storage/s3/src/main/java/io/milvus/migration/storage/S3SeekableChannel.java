package io.milvus.migration.storage;

import java.io.IOException;
import java.io.InputStream;

/** Read-only channel over one S3 object: ranged GETs with a bounded read-ahead (see {@link RangedReadChannel}). */
final class S3SeekableChannel extends RangedReadChannel {
    private final S3Storage storage;
    private final String key;

    S3SeekableChannel(S3Storage storage, String key, long size, int readAhead) {
        super(size, readAhead);
        this.storage = storage;
        this.key = key;
    }

    @Override
    protected byte[] fetch(long offset, int length) throws IOException {
        try (InputStream in = storage.readRange(key, offset, length)) {
            return in.readNBytes(length);
        }
    }
}
