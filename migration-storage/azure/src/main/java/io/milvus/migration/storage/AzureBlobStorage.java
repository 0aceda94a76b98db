package io.milvus.migration.storage;

import static java.util.Objects.requireNonNull;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage in an Azure Blob Storage container (azure-storage-blob): key {@code a/b.npy} is the blob
 * {@code <prefix>a/b.npy}. Uploads stream the file in blocks of {@link Builder#blockSize(long)} and commit the block
 * list last, so a failed upload leaves no blob. Reads stream; seekable reads fetch ranges with a bounded
 * read-ahead. Throttling (429), server errors (5xx) and dropped connections are retried with exponential backoff up
 * to {@link Builder#maxTries(int)} tries; other errors (missing container, failed authentication) are reported at
 * once as {@code STORAGE_IO}. Thread-safe.
 */
public final class AzureBlobStorage implements Storage {
    private final BlobContainerClient container;
    private final String containerName;
    private final String root;
    private final long blockSize;
    private final int maxConcurrency;
    private final int pageSize;
    private final int readAhead;
    private final String description;

    private AzureBlobStorage(Builder b, BlobServiceClient service) {
        this.container = service.getBlobContainerClient(b.container);
        this.containerName = b.container;
        this.root = b.prefix;
        this.blockSize = b.blockSize;
        this.maxConcurrency = b.maxConcurrency;
        this.pageSize = b.pageSize;
        this.readAhead = b.readAhead;
        this.description = "azure:" + stripQuery(service.getAccountUrl()) + "/" + containerName + "/" + root;
    }

    /** A builder; the container and one way to authenticate are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return description;
    }

    /** The container. */
    public String container() {
        return containerName;
    }

    /** The prefix inside the container that keys are relative to: empty or ending in '/'. */
    public String prefix() {
        return root;
    }

    @Override
    public void upload(String key, Path file) {
        requireNonNull(file, "file is null");
        BlobClient blob = blob(key);
        var transfer = new ParallelTransferOptions()
                .setBlockSizeLong(blockSize)
                .setMaxSingleUploadSizeLong(blockSize)
                .setMaxConcurrency(maxConcurrency);
        try {
            blob.uploadFromFileWithResponse(new BlobUploadFromFileOptions(file.toString())
                    .setParallelTransferOptions(transfer), null, Context.NONE);
        } catch (RuntimeException e) {
            throw error("upload", key, e);
        }
    }

    @Override
    public InputStream read(String key) {
        try {
            return blob(key).openInputStream(new BlobInputStreamOptions().setBlockSize(readAhead));
        } catch (RuntimeException e) {
            throw error("read", key, e);
        }
    }

    @Override
    public SeekableByteChannel openSeekable(String key) {
        BlobClient blob = blob(key);
        BlobProperties props;
        try {
            props = blob.getProperties();
        } catch (RuntimeException e) {
            throw error("read", key, e);
        }
        // pinned to this version: a concurrent overwrite fails the next range instead of mixing versions
        BlobRequestConditions sameVersion = new BlobRequestConditions().setIfMatch(props.getETag());
        return new RangedReadChannel(props.getBlobSize(), readAhead) {
            @Override
            protected byte[] fetch(long offset, int length) throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream(length);
                try {
                    blob.downloadStreamWithResponse(out, new BlobRange(offset, (long) length), null, sameVersion,
                            false, null, Context.NONE);
                } catch (RuntimeException e) {
                    throw new IOException(error("read range at " + offset + " of", key, e).getMessage(), e);
                }
                return out.toByteArray();
            }
        };
    }

    @Override
    public long size(String key) {
        try {
            return blob(key).getProperties().getBlobSize();
        } catch (RuntimeException e) {
            throw error("read the size of", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            if (blob(key).exists()) {
                return true;
            }
            if (!container.exists()) {
                throw new MigrationException(ErrorCode.STORAGE_IO, "Azure Blob: cannot look up " + key + " in "
                        + describe() + ": container " + containerName + " does not exist");
            }
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
            var options = new ListBlobsOptions().setPrefix(root + prefix).setMaxResultsPerPage(pageSize);
            for (BlobItem item : container.listBlobs(options, null)) {
                keys.add(item.getName().substring(root.length()));
            }
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
                blob(key).deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
            } catch (RuntimeException e) {
                throw error("delete", key, e);
            }
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private BlobClient blob(String key) {
        return container.getBlobClient(ObjectKeys.objectName(root, key, describe()));
    }

    private MigrationException error(String action, String key, Exception e) {
        if (e instanceof MigrationException m) {
            return m;
        }
        String reason;
        if (e instanceof BlobStorageException be) {
            BlobErrorCode code = be.getErrorCode();
            if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
                reason = "container " + containerName + " does not exist";
            } else if (BlobErrorCode.BLOB_NOT_FOUND.equals(code) || be.getStatusCode() == 404) {
                reason = "no such blob (HTTP 404)";
            } else if (be.getStatusCode() == 401 || be.getStatusCode() == 403) {
                reason = "authentication or authorization failed (HTTP " + be.getStatusCode() + " " + code
                        + "): check the credentials";
            } else {
                reason = "HTTP " + be.getStatusCode() + " " + code;
            }
        } else {
            // SDK messages of other errors carry no request URLs or signatures; keep only the type and text
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new MigrationException(ErrorCode.STORAGE_IO, "Azure Blob: cannot " + action + " " + key + " in "
                + describe() + ": " + reason, e);
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        String u = q < 0 ? url : url.substring(0, q);
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /**
     * Settings for {@link AzureBlobStorage}; not thread-safe. Authenticate with exactly one of a connection string,
     * an account name and key, a SAS token, or the default Azure credential.
     */
    public static final class Builder {
        private String container;
        private String prefix = "";
        private String connectionString;
        private String accountName;
        private String accountKey;
        private String sasToken;
        private boolean defaultCredential;
        private String endpoint;
        private long blockSize = 8L << 20;
        private int maxConcurrency = 2;
        private int pageSize = 1000;
        private int readAhead = 2 << 20;
        private int maxTries = 5;
        private Duration tryTimeout = Duration.ofSeconds(60);
        private Duration retryDelay = Duration.ofMillis(500);
        private boolean createContainer;

        private Builder() {
        }

        /** The container (required). */
        public Builder container(String container) {
            this.container = requireNonNull(container, "container is null");
            return this;
        }

        /** The prefix inside the container that keys are relative to; default none. */
        public Builder prefix(String prefix) {
            this.prefix = ObjectKeys.normalizePrefix(requireNonNull(prefix, "prefix is null"));
            return this;
        }

        /** A storage connection string (holds the account key or a SAS; never shown). */
        public Builder connectionString(String connectionString) {
            this.connectionString = requireNonNull(connectionString, "connectionString is null");
            return this;
        }

        /** The storage account; with {@link #accountKey(String)}, or to derive the endpoint. */
        public Builder accountName(String accountName) {
            this.accountName = requireNonNull(accountName, "accountName is null");
            return this;
        }

        /** The account's shared key (never shown); needs {@link #accountName(String)}. */
        public Builder accountKey(String accountKey) {
            this.accountKey = requireNonNull(accountKey, "accountKey is null");
            return this;
        }

        /** A SAS token ({@code sv=...&sig=...}, with or without '?'; never shown); needs an endpoint or account. */
        public Builder sasToken(String sasToken) {
            this.sasToken = requireNonNull(sasToken, "sasToken is null");
            return this;
        }

        /**
         * The default Azure credential chain (environment, workload identity, managed identity, Azure CLI, ...);
         * needs an endpoint or account.
         */
        public Builder defaultCredential() {
            this.defaultCredential = true;
            return this;
        }

        /**
         * The blob service endpoint, such as {@code http://127.0.0.1:10000/devstoreaccount1} for Azurite. Default:
         * the connection string's, or {@code https://<account>.blob.core.windows.net}.
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = requireNonNull(endpoint, "endpoint is null");
            return this;
        }

        /** Bytes per staged block, and the largest file uploaded in a single request; default 8 MiB. */
        public Builder blockSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("blockSize must be positive: " + bytes);
            }
            this.blockSize = bytes;
            return this;
        }

        /** Blocks of one upload in flight at once (memory ≈ this × block size); default 2. */
        public Builder maxConcurrency(int n) {
            this.maxConcurrency = ObjectKeys.positive(n, "maxConcurrency");
            return this;
        }

        /** Blobs per list request; default 1000. */
        public Builder pageSize(int pageSize) {
            this.pageSize = ObjectKeys.positive(pageSize, "pageSize");
            return this;
        }

        /** Bytes fetched per request by streamed and seekable reads; default 2 MiB. */
        public Builder readAhead(int bytes) {
            this.readAhead = ObjectKeys.positive(bytes, "readAhead");
            return this;
        }

        /** Tries per request on throttling, 5xx and dropped connections (1 = no retry); default 5. */
        public Builder maxTries(int tries) {
            this.maxTries = ObjectKeys.positive(tries, "maxTries");
            return this;
        }

        /** Time limit for one try; default 60 s. */
        public Builder tryTimeout(Duration timeout) {
            this.tryTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** First backoff delay, doubled per retry up to 30 s; default 500 ms. */
        public Builder retryDelay(Duration delay) {
            this.retryDelay = requireNonNull(delay, "delay is null");
            return this;
        }

        /** Whether {@link #build()} creates the container when it is missing; default false. */
        public Builder createContainer(boolean create) {
            this.createContainer = create;
            return this;
        }

        /** The storage. Does I/O only for {@link #createContainer(boolean)}. */
        public AzureBlobStorage build() {
            if (container == null || container.isBlank()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Azure Blob: container is not set");
            }
            int ways = (connectionString != null ? 1 : 0) + (accountKey != null ? 1 : 0) + (sasToken != null ? 1 : 0)
                    + (defaultCredential ? 1 : 0);
            if (ways != 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Azure Blob: container " + container
                        + " needs exactly one of connectionString, accountName+accountKey, sasToken or "
                        + "defaultCredential; got " + ways);
            }
            long maxDelayMs = Math.max(retryDelay.toMillis(), 30_000);
            var builder = new BlobServiceClientBuilder().retryOptions(new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL, maxTries, tryTimeout, retryDelay, Duration.ofMillis(maxDelayMs),
                    null));
            try {
                if (connectionString != null) {
                    builder.connectionString(connectionString);
                    if (endpoint != null) {
                        builder.endpoint(endpoint);
                    }
                } else {
                    String ep = endpoint != null ? endpoint : accountEndpoint();
                    builder.endpoint(ep);
                    if (accountKey != null) {
                        if (accountName == null) {
                            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Azure Blob: accountKey for "
                                    + "container " + container + " needs accountName");
                        }
                        builder.credential(new StorageSharedKeyCredential(accountName, accountKey));
                    } else if (sasToken != null) {
                        builder.credential(new AzureSasCredential(sasToken.startsWith("?") ? sasToken.substring(1)
                                : sasToken));
                    } else {
                        builder.credential(new DefaultAzureCredentialBuilder().build());
                    }
                }
            } catch (MigrationException e) {
                throw e;
            } catch (RuntimeException e) {
                // the SDK's messages about a malformed connection string do not repeat it, but keep only the type
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Azure Blob: invalid settings for container "
                        + container + " (" + e.getClass().getSimpleName() + ")");
            }
            AzureBlobStorage storage = new AzureBlobStorage(this, builder.buildClient());
            if (createContainer) {
                try {
                    storage.container.createIfNotExists();
                } catch (RuntimeException e) {
                    throw storage.error("create the container for", "", e);
                }
            }
            return storage;
        }

        private String accountEndpoint() {
            if (accountName == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Azure Blob: container " + container
                        + " needs an endpoint or accountName");
            }
            return "https://" + accountName + ".blob.core.windows.net";
        }
    }
}
