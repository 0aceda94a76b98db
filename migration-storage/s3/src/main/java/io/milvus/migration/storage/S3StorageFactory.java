package io.milvus.migration.storage;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Creates {@link S3Storage} for {@code s3://bucket/prefix} URIs, with credentials from the SDK's default chain
 * (environment, profile, IAM role). Optional query parameters, none of them secret: {@code region},
 * {@code endpoint} (such as {@code http://127.0.0.1:9000}), {@code pathStyle=true|false},
 * {@code cloud=aws|minio|ali|tc}. Found with {@link java.util.ServiceLoader}.
 */
public final class S3StorageFactory implements StorageFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public S3StorageFactory() {
    }

    @Override
    public boolean supports(URI uri) {
        return "s3".equals(uri.getScheme());
    }

    @Override
    public Storage create(URI uri) {
        return builderFor(uri).build();
    }

    /** The builder {@link #create} builds: bucket, prefix and query settings taken from the URI. */
    static S3Storage.Builder builderFor(URI uri) {
        String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        if (bucket == null || bucket.isBlank()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "no bucket in " + uri + ": use s3://bucket/prefix");
        }
        if (uri.getRawUserInfo() != null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "credentials in an s3:// URI are not accepted ("
                    + "s3://" + bucket + uri.getRawPath() + "): use the default credential chain or the builder");
        }
        S3Storage.Builder b = S3Storage.builder().bucket(bucket).defaultCredentials()
                .prefix(uri.getPath() == null ? "" : uri.getPath());
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (name) {
                    case "region" -> b.region(value);
                    case "endpoint" -> b.endpoint(value);
                    case "pathStyle" -> b.pathStyle(bool(name, value));
                    case "useSsl" -> b.useSsl(bool(name, value));
                    case "cloud" -> b.cloud(cloud(value));
                    default -> throw new MigrationException(ErrorCode.INVALID_CONFIG, "unknown parameter " + name
                            + " in s3://" + bucket + uri.getRawPath() + " (known: region, endpoint, pathStyle, "
                            + "useSsl, cloud)");
                }
            }
        }
        return b;
    }

    /** Maps the names of the old tool's {@code cloud} setting (and the enum names) to {@link S3Storage.Cloud}. */
    static S3Storage.Cloud cloud(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "aws", "s3" -> S3Storage.Cloud.AWS;
            case "minio" -> S3Storage.Cloud.MINIO;
            case "ali", "aliyun", "oss" -> S3Storage.Cloud.ALIYUN;
            case "tc", "tencent", "cos" -> S3Storage.Cloud.TENCENT;
            default -> throw new MigrationException(ErrorCode.INVALID_CONFIG, "unknown cloud " + value
                    + " (known: aws, minio, ali, tc)");
        };
    }

    private static boolean bool(String name, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, name + " must be true or false: " + value);
        }
        return Boolean.parseBoolean(value);
    }
}
