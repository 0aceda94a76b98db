package io.milvus.migration.spi;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;

/**
 * The Go tool's description of an object store ({@code source.remote}, {@code target.remote}), bound from YAML by
 * public fields: {@code cloud} aws (also minio), ali, tc, gcp or azure; {@code bucket} (for azure the container);
 * {@code endpoint} ({@code host:port} or a URL); {@code region}; {@code ak}/{@code sk} (for azure the account name
 * and key, for gcp HMAC keys used through GCS's S3 interface); {@code useIAM}; {@code useSSL} (default true, also
 * the scheme of an endpoint without one); {@code checkBucket}; {@code credentialFile} (gcp: a service-account JSON).
 * A {@link RemoteStorageFactory} turns it into {@link Storage}; {@code io.milvus.migration.RemoteStorages} finds the
 * factory. {@link #toString()} never shows {@code ak} or {@code sk}.
 */
public class RemoteStorageSettings {
    /** aws (the default), minio, ali, tc, gcp or azure. */
    public String cloud = "aws";
    /** The bucket (for azure, the container). */
    public String bucket;
    /** {@code host:port} or a URL; null for the cloud's own. */
    public String endpoint;
    /** The region, or null. */
    public String region;
    /** The access key (azure: account name; gcp: HMAC key), or null. */
    public String ak;
    /** The secret key (azure: account key; gcp: HMAC secret), or null. */
    public String sk;
    /** Sign in with the machine's role (the SDK's default chain) instead of ak/sk. */
    public boolean useIAM;
    /** HTTPS; also the scheme given to an endpoint written without one. */
    public boolean useSSL = true;
    /** Check at start that the bucket exists. */
    public boolean checkBucket;
    /** gcp only: a service-account JSON file. */
    public String credentialFile;

    /** Empty settings, for binding. */
    public RemoteStorageSettings() {
    }

    /** {@link #cloud}, lower-cased and trimmed; aws when unset. */
    public String cloudName() {
        return cloud == null || cloud.isBlank() ? "aws" : cloud.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@link #endpoint} as a URL: {@code host:port} gets {@code https://} or, without {@link #useSSL}, http. */
    public String endpointUrl() {
        if (endpoint == null) {
            return null;
        }
        return endpoint.contains("://") ? endpoint : (useSSL ? "https://" : "http://") + endpoint;
    }

    /**
     * The error a factory gives for one setting: its reason starts with the setting's key, so that the caller can
     * put the place of the description in front ({@link io.milvus.migration.RemoteStorages}).
     */
    public static MigrationException invalid(String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, key + " " + problem);
    }

    @Override
    public String toString() {
        return "RemoteStorageSettings[cloud=" + cloudName() + ", bucket=" + bucket + ", endpoint=" + endpoint
                + ", region=" + region + ", ak=" + (ak == null ? "none" : "***") + ", sk="
                + (sk == null ? "none" : "***") + ", useIAM=" + useIAM + ", useSSL=" + useSSL + ", checkBucket="
                + checkBucket + ", credentialFile=" + credentialFile + "]";
    }
}
