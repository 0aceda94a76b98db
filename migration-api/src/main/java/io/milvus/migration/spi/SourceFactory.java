package io.milvus.migration.spi;

import java.net.URI;

/**
 * Creates sources from URIs; found with {@link java.util.ServiceLoader}, so a source on the class path is used by
 * {@code Migration.builder().source(URI)} like the built-in ones.
 */
public interface SourceFactory {
    /** A short unique name, such as {@code faiss}. */
    String name();

    /** Whether this factory reads the given URI. Must not do I/O. */
    boolean supports(URI uri);

    /**
     * Creates a source for the URI; reads at most the metadata.
     *
     * @throws io.milvus.migration.MigrationException if the URI names nothing readable
     */
    Source create(URI uri);
}
