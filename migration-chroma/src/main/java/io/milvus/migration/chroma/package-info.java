/** A source that reads Chroma 1.x collections over Chroma's HTTP API v2. */
package io.milvus.migration.chroma;
