package io.milvus.migration.yaml;

import io.milvus.migration.spi.Storage;
import io.milvus.migration.storage.AzureBlobStorage;
import io.milvus.migration.storage.GcsStorage;
import io.milvus.migration.storage.S3Storage;
import java.nio.file.Path;

/**
 * The Go tool's {@code source.remote} / {@code target.remote} section as storage: {@code cloud} aws (also minio),
 * ali, tc, gcp or azure; {@code endpoint}, {@code region}, {@code bucket}, {@code ak}, {@code sk}, {@code useIAM},
 * {@code useSSL}, {@code checkBucket}. For azure, {@code bucket} is the container, {@code ak} the account name and
 * {@code sk} its key; for gcp, {@code ak}/{@code sk} are HMAC keys used through GCS's S3 interface (as Milvus's own
 * minio client does), otherwise the GCS client with application default credentials, or {@code credentialFile} (a
 * service-account JSON), or the emulator at {@code endpoint}.
 */
final class RemoteStorageYaml {
    private RemoteStorageYaml() {
    }

    private static final String[] KEYS = {"cloud", "bucket", "endpoint", "region", "ak", "sk", "useIAM", "useSSL",
        "checkBucket", "credentialFile"};

    /** Marks the section's keys as known without creating storage: for a section the chosen mode does not use. */
    static void accept(ConfigNode remote) {
        for (String key : KEYS) {
            remote.optString(key);
        }
    }

    /** Storage for the section; reads every key it knows so that unknown ones are reported by the caller. */
    static Storage storage(ConfigNode remote) {
        String cloud = remote.optChoice("cloud", "aws", "minio", "ali", "tc", "gcp", "azure").orElse("aws");
        String bucket = remote.string("bucket");
        var endpoint = remote.optString("endpoint");
        var region = remote.optString("region");
        var ak = remote.optString("ak");
        var sk = remote.optString("sk");
        boolean useIam = remote.optBool("useIAM").orElse(false);
        boolean useSsl = remote.optBool("useSSL").orElse(true);
        boolean checkBucket = remote.optBool("checkBucket").orElse(false);
        var credentialFile = remote.optString("credentialFile");
        if (ak.isPresent() != sk.isPresent()) {
            throw remote.error(ak.isPresent() ? "sk" : "ak", "is missing; 'ak' and 'sk' go together");
        }
        if (useIam && ak.isPresent()) {
            throw remote.error("useIAM", "is true but 'ak'/'sk' are set too; keep one way of signing in");
        }
        if (credentialFile.isPresent() && !cloud.equals("gcp")) {
            throw remote.error("credentialFile", "is for cloud gcp only");
        }
        switch (cloud) {
            case "azure" -> {
                var b = AzureBlobStorage.builder().container(bucket);
                endpoint.ifPresent(e -> b.endpoint(withScheme(e, useSsl)));
                if (useIam) {
                    b.defaultCredential();
                } else {
                    b.accountName(ak.orElseThrow(() -> remote.error("ak", "(the storage account name) is missing")));
                    b.accountKey(sk.orElseThrow());
                }
                b.createContainer(false);
                return b.build();
            }
            case "gcp" -> {
                if (ak.isEmpty()) {
                    var b = GcsStorage.builder().bucket(bucket);
                    if (endpoint.isPresent()) {
                        b.emulatorHost(withScheme(endpoint.get(), useSsl));
                    } else if (credentialFile.isPresent()) {
                        b.serviceAccountJson(Path.of(credentialFile.get()));
                    } else {
                        b.applicationDefaultCredentials();
                    }
                    return b.build();
                }
                return s3(remote, S3Storage.Cloud.MINIO, bucket, endpoint.orElse("storage.googleapis.com"), region,
                        ak.get(), sk.get(), false, useSsl, checkBucket);
            }
            default -> {
                S3Storage.Cloud kind = switch (cloud) {
                    case "ali" -> S3Storage.Cloud.ALIYUN;
                    case "tc" -> S3Storage.Cloud.TENCENT;
                    default -> endpoint.isPresent() ? S3Storage.Cloud.MINIO : S3Storage.Cloud.AWS;
                };
                return s3(remote, kind, bucket, endpoint.orElse(null), region, ak.orElse(null), sk.orElse(null),
                        useIam, useSsl, checkBucket);
            }
        }
    }

    private static Storage s3(ConfigNode remote, S3Storage.Cloud cloud, String bucket, String endpoint,
                              java.util.Optional<String> region, String ak, String sk, boolean useIam, boolean useSsl,
                              boolean checkBucket) {
        var b = S3Storage.builder().cloud(cloud).bucket(bucket).useSsl(useSsl).checkBucket(checkBucket);
        if (endpoint != null) {
            b.endpoint(withScheme(endpoint, useSsl));
        }
        region.ifPresent(b::region);
        if (ak != null) {
            b.credentials(ak, sk);
        } else {
            b.defaultCredentials();   // useIAM, or the default chain
        }
        return b.build();
    }

    /** The Go tool wrote endpoints as {@code host:port}; the SDKs want a URL. */
    private static String withScheme(String endpoint, boolean useSsl) {
        return endpoint.contains("://") ? endpoint : (useSsl ? "https://" : "http://") + endpoint;
    }
}
