package io.milvus.migration.storage;

import static java.util.Objects.requireNonNull;

import com.google.api.gax.paging.Page;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage in a Google Cloud Storage bucket (google-cloud-storage, JSON API): key {@code a/b.npy} is the object
 * {@code <prefix>a/b.npy}. Uploads are resumable uploads in chunks of {@link Builder#chunkSize(int)}, finalized only
 * after the last byte, so a failed upload leaves no object. Reads stream; seekable reads fetch ranges with a
 * bounded read-ahead. Throttling (429), server errors (5xx) and dropped connections are retried with exponential
 * backoff up to {@link Builder#maxAttempts(int)} attempts; other errors (missing bucket, denied access) are reported
 * at once as {@code STORAGE_IO}. Thread-safe.
 */
public final class GcsStorage implements Storage {
    private final com.google.cloud.storage.Storage client;
    private final String bucket;
    private final String root;
    private final int chunkSize;
    private final int pageSize;
    private final int readAhead;
    private final String description;
    private volatile boolean bucketSeen;

    private GcsStorage(Builder b, com.google.cloud.storage.Storage client) {
        this.client = client;
        this.bucket = b.bucket;
        this.root = b.prefix;
        this.chunkSize = b.chunkSize;
        this.pageSize = b.pageSize;
        this.readAhead = b.readAhead;
        this.description = "gs://" + bucket + "/" + root + (b.emulatorHost != null ? " (emulator " + b.emulatorHost
                + ")" : "");
    }

    /** A builder; {@link Builder#bucket(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return description;
    }

    /** The bucket. */
    public String bucket() {
        return bucket;
    }

    /** The prefix inside the bucket that keys are relative to: empty or ending in '/'. */
    public String prefix() {
        return root;
    }

    @Override
    public void upload(String key, Path file) {
        requireNonNull(file, "file is null");
        String name = name(key);
        WriteChannel writer = null;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            writer = client.writer(BlobInfo.newBuilder(BlobId.of(bucket, name)).build());
            writer.setChunkSize(chunkSize);
            ByteBuffer buf = ByteBuffer.allocate(Math.min(chunkSize, 1 << 20));
            while (in.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    writer.write(buf);
                }
                buf.clear();
            }
            // Only close() finalizes the resumable upload: after a failure above the writer is abandoned unclosed,
            // so the partial upload never becomes an object.
            WriteChannel done = writer;
            writer = null;
            done.close();
        } catch (IOException | RuntimeException e) {
            throw error("upload", key, e);
        }
    }

    @Override
    public InputStream read(String key) {
        Blob blob = blob(key, "read");
        if (blob.getSize() != null && blob.getSize() == 0) {
            return new ByteArrayInputStream(new byte[0]);
        }
        try {
            ReadChannel reader = client.reader(blob.getBlobId());
            reader.setChunkSize(readAhead);
            return Channels.newInputStream(reader);
        } catch (RuntimeException e) {
            throw error("read", key, e);
        }
    }

    @Override
    public SeekableByteChannel openSeekable(String key) {
        Blob blob = blob(key, "read");
        BlobId id = blob.getBlobId();   // pinned to this generation: a concurrent overwrite fails instead of mixing
        return new RangedReadChannel(blob.getSize(), readAhead) {
            @Override
            protected byte[] fetch(long offset, int length) throws IOException {
                try (ReadChannel reader = client.reader(id)) {
                    reader.setChunkSize(0);
                    reader.seek(offset);
                    reader.limit(offset + length);
                    ByteBuffer out = ByteBuffer.allocate(length);
                    while (out.hasRemaining()) {
                        if (reader.read(out) < 0) {
                            break;
                        }
                    }
                    return out.position() == length ? out.array() : java.util.Arrays.copyOf(out.array(),
                            out.position());
                } catch (RuntimeException e) {
                    throw new IOException(error("read range at " + offset + " of", key, e).getMessage(), e);
                }
            }
        };
    }

    @Override
    public long size(String key) {
        return blob(key, "read the size of").getSize();
    }

    @Override
    public boolean exists(String key) {
        String name = name(key);
        try {
            if (client.get(BlobId.of(bucket, name)) != null) {
                return true;
            }
            checkBucket(key, "look up");
            return false;
        } catch (RuntimeException e) {
            throw error("look up", key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        requireNonNull(prefix, "prefix is null");
        try {
            List<String> keys = new ArrayList<>();
            Page<Blob> page = client.list(bucket, com.google.cloud.storage.Storage.BlobListOption.prefix(root + prefix),
                    com.google.cloud.storage.Storage.BlobListOption.pageSize(pageSize));
            while (page != null) {
                for (Blob b : page.getValues()) {
                    keys.add(b.getName().substring(root.length()));
                }
                page = page.hasNextPage() ? page.getNextPage() : null;
            }
            bucketSeen = true;
            keys.sort(null);
            return keys;
        } catch (RuntimeException e) {
            throw error("list", prefix, e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        for (String key : list(prefix)) {
            try {
                client.delete(BlobId.of(bucket, root + key));
            } catch (RuntimeException e) {
                throw error("delete", key, e);
            }
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception ignored) {
            // nothing to release that matters: the HTTP transport holds no resources past the JVM
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private Blob blob(String key, String action) {
        Blob blob;
        try {
            blob = client.get(BlobId.of(bucket, name(key)));
        } catch (RuntimeException e) {
            throw error(action, key, e);
        }
        if (blob == null) {
            checkBucket(key, action);
            throw new MigrationException(ErrorCode.STORAGE_IO, "GCS: cannot " + action + " " + key + " in "
                    + describe() + ": no such object");
        }
        return blob;
    }

    /** A 404 on an object may mean the bucket is missing: say so, once per storage. */
    private void checkBucket(String key, String action) {
        if (bucketSeen) {
            return;
        }
        try {
            if (client.get(bucket) == null) {
                throw new MigrationException(ErrorCode.STORAGE_IO, "GCS: cannot " + action + " " + key + " in "
                        + describe() + ": bucket " + bucket + " does not exist");
            }
        } catch (StorageException e) {
            throw error(action, key, e);
        }
        bucketSeen = true;
    }

    private String name(String key) {
        return ObjectKeys.objectName(root, key, describe());
    }

    private MigrationException error(String action, String key, Exception e) {
        if (e instanceof MigrationException m) {
            return m;
        }
        String reason;
        StorageException se = e instanceof StorageException s ? s
                : e.getCause() instanceof StorageException s2 ? s2 : null;
        if (se != null && se.getCode() == 404) {
            reason = "bucket " + bucket + " or object not found (HTTP 404)";
        } else if (se != null && (se.getCode() == 401 || se.getCode() == 403)) {
            reason = "access denied (HTTP " + se.getCode() + "): check the credentials and their permissions";
        } else if (se != null && se.getCode() > 0) {
            reason = "HTTP " + se.getCode() + " " + se.getReason() + ": " + se.getMessage();
        } else {
            reason = String.valueOf(e);
        }
        return new MigrationException(ErrorCode.STORAGE_IO, "GCS: cannot " + action + " " + key + " in " + describe()
                + ": " + reason, e);
    }

    /** Settings for {@link GcsStorage}; not thread-safe. Credentials: one of the three ways, ADC by default. */
    public static final class Builder {
        private String bucket;
        private String prefix = "";
        private String project;
        private Credentials credentials;
        private String emulatorHost;
        private int chunkSize = 16 << 20;
        private int pageSize = 1000;
        private int readAhead = 2 << 20;
        private int maxAttempts = 6;
        private Duration totalTimeout = Duration.ofMinutes(5);
        private boolean createBucket;

        private Builder() {
        }

        /** The bucket (required). */
        public Builder bucket(String bucket) {
            this.bucket = requireNonNull(bucket, "bucket is null");
            return this;
        }

        /** The prefix inside the bucket that keys are relative to ({@code a/b} is taken as {@code a/b/}); default none. */
        public Builder prefix(String prefix) {
            this.prefix = ObjectKeys.normalizePrefix(requireNonNull(prefix, "prefix is null"));
            return this;
        }

        /** The Google Cloud project; default the one of the credentials or the environment. */
        public Builder project(String project) {
            this.project = requireNonNull(project, "project is null");
            return this;
        }

        /** Service-account credentials from a JSON key file, read at {@link #build()}. Default: ADC. */
        public Builder serviceAccountJson(Path file) {
            requireNonNull(file, "file is null");
            try (InputStream in = Files.newInputStream(file)) {
                this.credentials = ServiceAccountCredentials.fromStream(in);
            } catch (IOException | RuntimeException e) {
                // the file's content is a secret: name the file only
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "GCS: cannot read service-account JSON from "
                        + file + " (" + e.getClass().getSimpleName() + ")");
            }
            return this;
        }

        /** Service-account credentials from a JSON key stream, read now; the caller closes it. Default: ADC. */
        public Builder serviceAccountJson(InputStream json) {
            requireNonNull(json, "json is null");
            try {
                this.credentials = ServiceAccountCredentials.fromStream(json);
            } catch (IOException | RuntimeException e) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "GCS: cannot read service-account JSON from "
                        + "the given stream (" + e.getClass().getSimpleName() + ")");
            }
            return this;
        }

        /** Any credentials, such as {@link GoogleCredentials}. Default: ADC. */
        public Builder credentials(Credentials credentials) {
            this.credentials = requireNonNull(credentials, "credentials is null");
            return this;
        }

        /**
         * Application default credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's login, the metadata
         * server), looked up at {@link #build()}. This is the default.
         */
        public Builder applicationDefaultCredentials() {
            this.credentials = null;
            return this;
        }

        /**
         * An emulator such as fake-gcs-server ({@code http://127.0.0.1:4443}); requests carry no credentials. Default:
         * the real service.
         */
        public Builder emulatorHost(String host) {
            requireNonNull(host, "host is null");
            this.emulatorHost = host.contains("://") ? host : "http://" + host;
            return this;
        }

        /** Bytes per resumable-upload request (rounded up to a multiple of 256 KiB); default 16 MiB. */
        public Builder chunkSize(int bytes) {
            this.chunkSize = ObjectKeys.positive(bytes, "chunkSize");
            return this;
        }

        /** Objects per list request; default 1000. */
        public Builder pageSize(int pageSize) {
            this.pageSize = ObjectKeys.positive(pageSize, "pageSize");
            return this;
        }

        /** Bytes fetched per request by streamed and seekable reads; default 2 MiB. */
        public Builder readAhead(int bytes) {
            this.readAhead = ObjectKeys.positive(bytes, "readAhead");
            return this;
        }

        /** Attempts per request on throttling, 5xx and dropped connections (1 = no retry); default 6. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = ObjectKeys.positive(attempts, "maxAttempts");
            return this;
        }

        /** Time limit for one request including its retries; default 5 minutes. */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** Whether {@link #build()} creates the bucket when it is missing; default false. */
        public Builder createBucket(boolean create) {
            this.createBucket = create;
            return this;
        }

        /** The storage. Does I/O only for ADC lookup and {@link #createBucket(boolean)}. */
        public GcsStorage build() {
            if (bucket == null || bucket.isBlank()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "GCS: bucket is not set");
            }
            RetrySettings retry = RetrySettings.newBuilder()
                    .setMaxAttempts(maxAttempts)
                    .setInitialRetryDelayDuration(Duration.ofMillis(200))
                    .setRetryDelayMultiplier(2.0)
                    .setMaxRetryDelayDuration(Duration.ofSeconds(10))
                    .setInitialRpcTimeoutDuration(Duration.ofSeconds(60))
                    .setRpcTimeoutMultiplier(1.0)
                    .setMaxRpcTimeoutDuration(Duration.ofSeconds(60))
                    .setTotalTimeoutDuration(totalTimeout)
                    .build();
            var options = StorageOptions.http()
                    .setRetrySettings(retry)
                    // uploads replace, deletes tolerate 404: every call may be retried
                    .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy());
            if (emulatorHost != null) {
                options.setHost(emulatorHost).setCredentials(NoCredentials.getInstance())
                        .setProjectId(project != null ? project : "emulator-project");
            } else {
                try {
                    options.setCredentials(credentials != null ? credentials : GoogleCredentials.getApplicationDefault());
                } catch (IOException e) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "GCS: no application default credentials "
                            + "for gs://" + bucket + "/" + prefix + ": " + e.getMessage());
                }
                if (project != null) {
                    options.setProjectId(project);
                }
            }
            GcsStorage storage = new GcsStorage(this, options.build().getService());
            if (createBucket) {
                try {
                    if (storage.client.get(bucket) == null) {
                        storage.client.create(BucketInfo.of(bucket));
                    }
                    storage.bucketSeen = true;
                } catch (StorageException e) {
                    if (e.getCode() != 409) {   // created concurrently
                        storage.close();
                        throw storage.error("create the bucket for", "", e);
                    }
                }
            }
            return storage;
        }
    }
}
