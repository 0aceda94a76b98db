package io.milvus.migration.spi;

import java.net.URI;

/** Creates {@link Storage} from URIs such as {@code file:/data/stage}; found with {@link java.util.ServiceLoader}. */
public interface StorageFactory {
    /** Whether this factory serves the URI's scheme. Must not do I/O. */
    boolean supports(URI uri);

    /** Creates the storage rooted at the URI. */
    Storage create(URI uri);
}
