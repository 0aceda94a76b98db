package io.milvus.migration.storage;

import io.milvus.migration.spi.RemoteStorageFactory;
import io.milvus.migration.spi.RemoteStorageSettings;
import io.milvus.migration.spi.Storage;
import java.util.Set;

/**
 * {@link S3Storage} for the Go tool's remote sections with {@code cloud} aws, minio, ali or tc, and gcp with
 * {@code ak}/{@code sk} (HMAC keys through GCS's S3 interface at {@code storage.googleapis.com}, as Milvus's own
 * minio client does). An aws endpoint means an S3-compatible store (path-style addressing). Found with
 * {@link java.util.ServiceLoader}.
 */
public final class S3RemoteStorageFactory implements RemoteStorageFactory {
    private static final Set<String> CLOUDS = Set.of("aws", "minio", "ali", "tc");

    /** Called by {@link java.util.ServiceLoader}. */
    public S3RemoteStorageFactory() {
    }

    @Override
    public boolean supports(RemoteStorageSettings s) {
        String cloud = s.cloudName();
        return CLOUDS.contains(cloud) || cloud.equals("gcp") && s.ak != null;
    }

    @Override
    public void validate(RemoteStorageSettings s) {
        builder(s);
    }

    @Override
    public Storage create(RemoteStorageSettings s) {
        return builder(s).build();
    }

    private static S3Storage.Builder builder(RemoteStorageSettings s) {
        String cloud = s.cloudName();
        boolean gcp = cloud.equals("gcp");
        S3Storage.Cloud kind = switch (cloud) {
            case "ali" -> S3Storage.Cloud.ALIYUN;
            case "tc" -> S3Storage.Cloud.TENCENT;
            default -> gcp || s.endpoint != null ? S3Storage.Cloud.MINIO : S3Storage.Cloud.AWS;
        };
        var b = S3Storage.builder().cloud(kind).bucket(s.bucket).useSsl(s.useSSL).checkBucket(s.checkBucket);
        String endpoint = gcp && s.endpoint == null ? (s.useSSL ? "https://" : "http://") + "storage.googleapis.com"
                : s.endpointUrl();
        if (endpoint != null) {
            b.endpoint(endpoint);
        }
        if (s.region != null) {
            b.region(s.region);
        }
        if (s.ak != null) {
            b.credentials(s.ak, s.sk);
        } else {
            b.defaultCredentials();   // useIAM, or the default chain
        }
        return b;
    }
}
