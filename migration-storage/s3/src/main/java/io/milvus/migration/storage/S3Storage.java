package io.milvus.migration.storage;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Storage in an Amazon S3 bucket or an S3-compatible store (MinIO, Aliyun OSS, Tencent COS) through AWS SDK v2: key
 * {@code a/b.npy} is the object {@code <prefix>/a/b.npy} in the bucket.
 *
 * <pre>{@code
 * Storage staging = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint("http://127.0.0.1:9000")
 *         .bucket("a-bucket").credentials("minioadmin", "minioadmin").checkBucket(true).build();
 * }</pre>
 *
 * <p>Uploads of files larger than {@link Builder#partSize(long)} are multipart uploads whose parts are read straight
 * from the file (no part is held in memory) and sent by up to {@link Builder#uploadConcurrency(int)} threads; a
 * failed multipart upload is aborted, so an object becomes visible only complete. Seekable reads are ranged GETs
 * with a read-ahead buffer of {@link Builder#readAhead(int)} bytes. Throttling, server errors and broken connections
 * are retried with exponential backoff up to {@link Builder#maxAttempts(int)} attempts; final errors (bad
 * credentials, missing bucket or key) fail at once. Every failure is a {@link MigrationException} with code
 * {@code STORAGE_IO} naming the store, bucket and key; secrets appear neither in messages nor in
 * {@link #toString()}. Thread-safe; {@link #close()} releases the HTTP connections.
 */
public final class S3Storage implements Storage {

    /** Which store the client talks to; decides the default endpoint and addressing style. */
    public enum Cloud {
        /** Amazon S3: the SDK's regional endpoint, virtual-hosted addressing (the default). */
        AWS("S3"),
        /** MinIO or another S3-compatible server (such as S3Proxy): needs {@link Builder#endpoint(String)};
         * path-style addressing. */
        MINIO("MinIO"),
        /** Aliyun OSS: endpoint {@code oss-<region>.aliyuncs.com}, virtual-hosted addressing. */
        ALIYUN("Aliyun OSS"),
        /** Tencent COS: endpoint {@code cos.<region>.myqcloud.com}, virtual-hosted addressing. */
        TENCENT("Tencent COS");

        private final String label;

        Cloud(String label) {
            this.label = label;
        }
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final S3Client s3;
    private final AwsCredentialsProvider credentials;
    private final String bucket;
    private final String prefix;
    private final Cloud cloud;
    private final URI endpoint;
    private final String region;
    private final long partSize;
    private final int uploadConcurrency;
    private final int pageSize;
    private final int readAhead;

    private S3Storage(Builder b, S3Client s3, AwsCredentialsProvider credentials, URI endpoint, String region) {
        this.s3 = s3;
        this.credentials = credentials;
        this.bucket = b.bucket;
        this.prefix = b.prefix;
        this.cloud = b.cloud;
        this.endpoint = endpoint;
        this.region = region;
        this.partSize = b.partSize;
        this.uploadConcurrency = b.uploadConcurrency;
        this.pageSize = b.pageSize;
        this.readAhead = b.readAhead;
    }

    /** A builder; {@link Builder#bucket(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bucket. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix inside the bucket under which this storage's keys live, without a trailing '/'; may be empty. */
    public String prefix() {
        return prefix;
    }

    /** The endpoint requests go to, such as {@code http://127.0.0.1:9000}; the SDK's own AWS endpoint is shown as
     * {@code https://s3.<region>.amazonaws.com}. */
    public URI endpoint() {
        return endpoint;
    }

    /** {@code s3://bucket/prefix}, the location reports name; never contains credentials. */
    @Override
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** {@link #describe()} plus the store, endpoint and region; never contains credentials. */
    @Override
    public String toString() {
        return describe() + " (" + backend() + ", region " + region + ")";
    }

    @Override
    public void upload(String key, Path file) {
        requireNonNull(file, "file is null");
        String object = object(key);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot upload " + file + " to " + where(key)
                    + " on " + backend() + ": " + e, e);
        }
        if (size <= partSize) {
            try {
                s3.putObject(r -> r.bucket(bucket).key(object).contentLength(size), RequestBody.fromFile(file));
            } catch (RuntimeException e) {
                throw error("upload", key, e);
            }
            return;
        }
        uploadMultipart(key, object, file, size);
    }

    /** Parts are read from the file by each attempt; an upload that fails is aborted. */
    private void uploadMultipart(String key, String object, Path file, long size) {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(object)).uploadId();
        } catch (RuntimeException e) {
            throw error("start the multipart upload of", key, e);
        }
        // S3 allows at most 10,000 parts: larger files get larger parts
        long partSize = Math.max(this.partSize, (size + 9_999) / 10_000);
        int parts = (int) ((size + partSize - 1) / partSize);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(uploadConcurrency, parts), r -> {
            Thread t = new Thread(r, "s3-upload-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<CompletedPart>> futures = new ArrayList<>(parts);
        try {
            for (int i = 0; i < parts; i++) {
                int number = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, size - offset);
                futures.add(pool.submit(() -> {
                    RequestBody body = RequestBody.fromContentProvider(() -> slice(file, offset, length), length,
                            "application/octet-stream");
                    String etag = s3.uploadPart(r -> r.bucket(bucket).key(object).uploadId(uploadId)
                            .partNumber(number).contentLength(length), body).eTag();
                    return CompletedPart.builder().partNumber(number).eTag(etag).build();
                }));
            }
            List<CompletedPart> done = new ArrayList<>(parts);
            for (Future<CompletedPart> f : futures) {
                done.add(f.get());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(object).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abort(key, object, uploadId, futures, new MigrationException(ErrorCode.INTERRUPTED,
                    "interrupted while uploading " + where(key) + " on " + backend(), e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw abort(key, object, uploadId, futures, error("upload a part of", key,
                    cause instanceof Exception x ? x : new RuntimeException(cause)));
        } catch (RuntimeException e) {
            throw abort(key, object, uploadId, futures, error("complete the multipart upload of", key, e));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Aborts the multipart upload (best effort, its own failure is attached as suppressed) and returns {@code e}. */
    private MigrationException abort(String key, String object, String uploadId, List<Future<CompletedPart>> futures,
            MigrationException e) {
        futures.forEach(f -> f.cancel(true));
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(object).uploadId(uploadId));
        } catch (RuntimeException abortFailed) {
            e.addSuppressed(error("abort the multipart upload of", key, abortFailed));
        }
        return e;
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(offset);
            return new BoundedInputStream(Channels.newInputStream(ch), length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + " at " + offset, e);
        }
    }

    /** Stores {@code content} with one PUT. */
    @Override
    public void write(String key, byte[] content) {
        requireNonNull(content, "content is null");
        String object = object(key);
        try {
            s3.putObject(r -> r.bucket(bucket).key(object), RequestBody.fromBytes(content));
        } catch (RuntimeException e) {
            throw error("write", key, e);
        }
    }

    @Override
    public InputStream read(String key) {
        String object = object(key);
        try {
            return s3.getObject(r -> r.bucket(bucket).key(object));
        } catch (RuntimeException e) {
            throw error("read", key, e);
        }
    }

    @Override
    public SeekableByteChannel openSeekable(String key) {
        return new S3SeekableChannel(this, key, size(key), readAhead);
    }

    /** A ranged GET of {@code [from, from + length)} of {@code key}; the caller closes the stream. */
    InputStream readRange(String key, long from, long length) {
        String object = object(key);
        try {
            return s3.getObject(r -> r.bucket(bucket).key(object).range("bytes=" + from + "-" + (from + length - 1)));
        } catch (RuntimeException e) {
            throw error("read bytes " + from + "-" + (from + length - 1) + " of", key, e);
        }
    }

    @Override
    public long size(String key) {
        String object = object(key);
        try {
            return s3.headObject(r -> r.bucket(bucket).key(object)).contentLength();
        } catch (RuntimeException e) {
            throw error("read the size of", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        String object = object(key);
        try {
            s3.headObject(r -> r.bucket(bucket).key(object));
            return true;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                return false;
            }
            throw error("check", key, e);
        } catch (RuntimeException e) {
            throw error("check", key, e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        requireNonNull(keyPrefix, "prefix is null");
        String full = prefix.isEmpty() ? keyPrefix : prefix + "/" + keyPrefix;
        int strip = prefix.isEmpty() ? 0 : prefix.length() + 1;
        try {
            List<String> keys = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(full).maxKeys(pageSize))
                    .contents()) {
                keys.add(o.key().substring(strip));
            }
            keys.sort(null);
            return keys;
        } catch (RuntimeException e) {
            throw error("list", keyPrefix + "*", e);
        }
    }

    /** Lists, then deletes in batches of up to 1000 keys (one request each). */
    @Override
    public void deletePrefix(String keyPrefix) {
        List<String> keys = list(keyPrefix);
        int batch = Math.min(1000, pageSize);
        for (int i = 0; i < keys.size(); i += batch) {
            List<ObjectIdentifier> ids = keys.subList(i, Math.min(keys.size(), i + batch)).stream()
                    .map(k -> ObjectIdentifier.builder().key(object(k)).build()).toList();
            DeleteObjectsResponse r;
            try {
                r = s3.deleteObjects(d -> d.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
            } catch (RuntimeException e) {
                throw error("delete", keyPrefix + "*", e);
            }
            if (r.hasErrors() && !r.errors().isEmpty()) {
                var first = r.errors().get(0);
                throw new MigrationException(ErrorCode.STORAGE_IO, "cannot delete " + r.errors().size()
                        + " objects under " + where(keyPrefix) + " on " + backend() + ", first " + first.key() + ": "
                        + first.code() + " " + first.message());
            }
        }
    }

    @Override
    public void close() {
        s3.close();
        if (credentials instanceof AutoCloseable c) {   // the default chain holds clients of its own
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing left to release
            }
        }
    }

    private String object(String key) {
        return ObjectKeys.objectName(prefix.isEmpty() ? "" : prefix + "/", key, describe());
    }

    private String where(String key) {
        return "s3://" + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/") + key;
    }

    private String backend() {
        return cloud.label + " at " + endpoint;
    }

    MigrationException error(String action, String key, Exception e) {
        String why;
        if (e instanceof AwsServiceException s) {
            String code = errorCode(s);
            why = "HTTP " + s.statusCode() + (code == null ? "" : " " + code) + hint(s.statusCode(), code)
                    + (s.awsErrorDetails() != null && s.awsErrorDetails().errorMessage() != null
                    ? ": " + s.awsErrorDetails().errorMessage() : "");
        } else {
            why = String.valueOf(e.getMessage());
        }
        return new MigrationException(ErrorCode.STORAGE_IO, "cannot " + action + " " + where(key) + " on " + backend()
                + ": " + why, e);
    }

    private String hint(int status, String code) {
        if ("NoSuchBucket".equals(code)) {
            return " (bucket " + bucket + " does not exist)";
        }
        if (status == 403) {
            return " (access denied: check the credentials and the bucket policy)";
        }
        if (status == 404) {
            return " (no such key)";
        }
        return "";
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** Builds an {@link S3Storage}. Not thread-safe; {@link #build()} may be called once per configuration. */
    public static final class Builder {
        private Cloud cloud = Cloud.AWS;
        private String bucket;
        private String prefix = "";
        private String region;
        private URI endpoint;
        private Boolean pathStyle;
        private boolean useSsl = true;
        private String accessKey;
        private String secretKey;
        private String sessionToken;
        private boolean checkBucket;
        private boolean createBucket;
        private long partSize = 16L << 20;
        private int uploadConcurrency = 4;
        private int pageSize = 1000;
        private int readAhead = 1 << 20;
        private int maxAttempts = 5;
        private Duration baseDelay = Duration.ofMillis(200);
        private Duration maxDelay = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration socketTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The store; decides the default endpoint and addressing. Default {@link Cloud#AWS}. */
        public Builder cloud(Cloud cloud) {
            this.cloud = requireNonNull(cloud, "cloud is null");
            return this;
        }

        /** The bucket; required. */
        public Builder bucket(String bucket) {
            this.bucket = requireNonNull(bucket, "bucket is null");
            return this;
        }

        /** A key prefix inside the bucket under which all keys live ('/' at either end is dropped). Default empty:
         * keys are object names. */
        public Builder prefix(String prefix) {
            String p = requireNonNull(prefix, "prefix is null");
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            this.prefix = p;
            return this;
        }

        /** The region, such as {@code us-east-1} or {@code ap-shanghai}. Default: the {@code aws.region} system
         * property, else the {@code AWS_REGION} environment variable, else {@code us-east-1}. */
        public Builder region(String region) {
            this.region = requireNonNull(region, "region is null");
            return this;
        }

        /** The endpoint, such as {@code http://127.0.0.1:9000} or {@code minio.example.com:9000} (the scheme then
         * follows {@link #useSsl(boolean)}). Default: the cloud's endpoint for the region. */
        public Builder endpoint(String endpoint) {
            requireNonNull(endpoint, "endpoint is null");
            this.endpoint = endpoint.contains("://") ? URI.create(endpoint) : URI.create("scheme-less://" + endpoint);
            return this;
        }

        /** Path-style requests ({@code host/bucket/key}) instead of virtual-hosted ({@code bucket.host/key}).
         * Default true for {@link Cloud#MINIO}, false otherwise. */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** HTTPS (true) or HTTP for endpoints given without a scheme and for the cloud endpoints. Default true. */
        public Builder useSsl(boolean useSsl) {
            this.useSsl = useSsl;
            return this;
        }

        /** Static credentials. Default: the SDK's default credential chain (environment, profile, IAM role). */
        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = requireNonNull(accessKey, "accessKey is null");
            this.secretKey = requireNonNull(secretKey, "secretKey is null");
            return this;
        }

        /** A session token to go with {@link #credentials(String, String)} (temporary credentials). Default none. */
        public Builder sessionToken(String sessionToken) {
            this.sessionToken = requireNonNull(sessionToken, "sessionToken is null");
            return this;
        }

        /** Use the SDK's default credential chain (environment, system properties, profile, container or instance
         * IAM role), dropping credentials set before. This is the default. */
        public Builder defaultCredentials() {
            this.accessKey = null;
            this.secretKey = null;
            this.sessionToken = null;
            return this;
        }

        /** Whether {@link #build()} checks that the bucket exists and is accessible (one HEAD request), failing
         * with {@code STORAGE_IO} if not. Default false. */
        public Builder checkBucket(boolean check) {
            this.checkBucket = check;
            return this;
        }

        /** Whether {@link #build()} creates the bucket when it does not exist (implies {@link #checkBucket}).
         * Default false. */
        public Builder createBucket(boolean create) {
            this.createBucket = create;
            return this;
        }

        /** Part size of multipart uploads, also the size above which uploads are multipart; at least 5 MiB (S3's
         * minimum), raised for a file of more than 10,000 parts. Default 16 MiB. */
        public Builder partSize(long bytes) {
            if (bytes < 5L << 20 || bytes > 5L << 30) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "partSize must be 5 MiB..5 GiB: " + bytes);
            }
            this.partSize = bytes;
            return this;
        }

        /** Parts of one multipart upload sent at once. Default 4. */
        public Builder uploadConcurrency(int n) {
            if (n < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "uploadConcurrency must be >= 1: " + n);
            }
            this.uploadConcurrency = n;
            return this;
        }

        /** Keys per list request, 1..1000. Default 1000. */
        public Builder pageSize(int n) {
            if (n < 1 || n > 1000) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "pageSize must be 1..1000: " + n);
            }
            this.pageSize = n;
            return this;
        }

        /** Bytes fetched by one ranged GET of a seekable channel when the reader asks for less. Default 1 MiB. */
        public Builder readAhead(int bytes) {
            if (bytes < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "readAhead must be >= 1: " + bytes);
            }
            this.readAhead = bytes;
            return this;
        }

        /** Attempts per request, first included, for throttling, server errors and broken connections; 1 means no
         * retries. Default 5. */
        public Builder maxAttempts(int n) {
            if (n < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "maxAttempts must be >= 1: " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /** Exponential backoff with jitter between attempts: first delay up to {@code base}, at most {@code max}.
         * Default 200 ms and 10 s. */
        public Builder backoff(Duration base, Duration max) {
            this.baseDelay = requireNonNull(base, "base is null");
            this.maxDelay = requireNonNull(max, "max is null");
            return this;
        }

        /** Connection and socket (read) timeouts of the HTTP client. Default 10 s and 60 s. */
        public Builder timeouts(Duration connect, Duration socket) {
            this.connectTimeout = requireNonNull(connect, "connect is null");
            this.socketTimeout = requireNonNull(socket, "socket is null");
            return this;
        }

        /** Creates the client and, if asked, checks or creates the bucket. */
        public S3Storage build() {
            if (bucket == null || bucket.isBlank()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "S3 bucket is not set");
            }
            if (sessionToken != null && accessKey == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "S3 sessionToken needs credentials(accessKey, "
                        + "secretKey) too");
            }
            String r = region != null ? region : defaultRegion();
            AwsCredentialsProvider provider = credentialsProvider();
            URI ep = resolveEndpoint(r);
            boolean custom = endpoint != null || cloud != Cloud.AWS;
            var retry = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts)
                    .backoffStrategy(BackoffStrategy.exponentialDelay(baseDelay, maxDelay))
                    .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(baseDelay, maxDelay))
                    .build();
            var client = S3Client.builder()
                    .region(Region.of(r))
                    .forcePathStyle(pathStyle != null ? pathStyle : cloud == Cloud.MINIO)
                    .credentialsProvider(provider)
                    .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(50, uploadConcurrency * 2))
                            .connectionTimeout(connectTimeout).socketTimeout(socketTimeout))
                    .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(retry).build())
                    // third-party stores do not all understand the SDK's newer flexible checksums
                    .requestChecksumCalculation(custom ? RequestChecksumCalculation.WHEN_REQUIRED
                            : RequestChecksumCalculation.WHEN_SUPPORTED)
                    .responseChecksumValidation(custom ? ResponseChecksumValidation.WHEN_REQUIRED
                            : ResponseChecksumValidation.WHEN_SUPPORTED);
            if (custom) {
                client.endpointOverride(ep);
            }
            S3Storage storage = new S3Storage(this, client.build(), provider, ep, r);
            if (checkBucket || createBucket) {
                storage.checkBucket(createBucket);
            }
            return storage;
        }

        private AwsCredentialsProvider credentialsProvider() {
            if (accessKey == null) {
                return DefaultCredentialsProvider.builder().build();
            }
            return StaticCredentialsProvider.create(sessionToken == null
                    ? AwsBasicCredentials.create(accessKey, secretKey)
                    : AwsSessionCredentials.create(accessKey, secretKey, sessionToken));
        }

        private static String defaultRegion() {
            String r = System.getProperty("aws.region");
            if (r == null || r.isBlank()) {
                r = System.getenv("AWS_REGION");
            }
            return r == null || r.isBlank() ? "us-east-1" : r;
        }

        private URI resolveEndpoint(String r) {
            String scheme = useSsl ? "https" : "http";
            if (endpoint != null) {
                return "scheme-less".equals(endpoint.getScheme())
                        ? URI.create(scheme + "://" + endpoint.getRawAuthority()
                        + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath()))
                        : endpoint;
            }
            return switch (cloud) {
                case AWS -> URI.create(scheme + "://s3." + r + ".amazonaws.com");
                case ALIYUN -> URI.create(scheme + "://oss-" + r.toLowerCase(Locale.ROOT) + ".aliyuncs.com");
                case TENCENT -> URI.create(scheme + "://cos." + r.toLowerCase(Locale.ROOT) + ".myqcloud.com");
                case MINIO -> throw new MigrationException(ErrorCode.INVALID_CONFIG,
                        "S3 endpoint is not set: MinIO needs endpoint(\"host:port\")");
            };
        }
    }

    /** HEAD of the bucket; creates it when asked and it is missing. */
    private void checkBucket(boolean create) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && create) {
                try {
                    s3.createBucket(r -> r.bucket(bucket));
                    return;
                } catch (RuntimeException c) {
                    close();
                    throw new MigrationException(ErrorCode.STORAGE_IO, "cannot create bucket " + bucket + " on "
                            + backend() + ": " + c.getMessage(), c);
                }
            }
            close();
            throw new MigrationException(ErrorCode.STORAGE_IO, "bucket " + bucket + " on " + backend() + ": HTTP "
                    + e.statusCode() + (e.statusCode() == 404 ? " (bucket does not exist)"
                    : e.statusCode() == 403 ? " (access denied: check the credentials and the bucket policy)" : ""),
                    e);
        } catch (RuntimeException e) {
            close();
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot reach bucket " + bucket + " on " + backend()
                    + ": " + e.getMessage(), e);
        }
    }
}
