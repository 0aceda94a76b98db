package io.milvus.migration.spi;

import java.net.URI;
import java.util.Optional;

/**
 * Creates {@link Target}s from URIs such as {@code milvus://127.0.0.1:19530/default/docs}; found by
 * {@link java.util.ServiceLoader}. Credentials come from the URI's user info or the environment and never appear in
 * descriptions or errors.
 */
public interface TargetFactory {
    /** The URI scheme this factory serves, such as {@code milvus}. */
    String name();

    /** Whether this factory creates a target for the URI. */
    boolean supports(URI uri);

    /**
     * Creates the target; does no I/O.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} naming the part of the URI at fault
     */
    Target create(URI uri);

    /** The collection the URI names, if it names one (the source's collection is renamed to it). */
    default Optional<String> collection(URI uri) {
        return Optional.empty();
    }
}
