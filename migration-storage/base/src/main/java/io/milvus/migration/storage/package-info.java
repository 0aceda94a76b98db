/**
 * Storage backends: {@link io.milvus.migration.storage.LocalStorage}, {@link io.milvus.migration.storage.S3Storage}
 * (also MinIO, Aliyun OSS, Tencent COS), {@link io.milvus.migration.storage.GcsStorage} and
 * {@link io.milvus.migration.storage.AzureBlobStorage}.
 */
package io.milvus.migration.storage;
