package io.milvus.migration.milvus2;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.util.Map;

/**
 * {@code milvus://[user[:password]@]host[:port][/database[/collection[,collection...]]][?token=..&tls=true]} as a
 * {@link MilvusSource}: the named collections, or every collection of the database (default {@code default});
 * found by {@link java.util.ServiceLoader}. Credentials missing from the URI come from {@code MILVUS_TOKEN}, or
 * {@code MILVUS_USER} and {@code MILVUS_PASSWORD}; none of them appears in a message.
 */
public final class MilvusSourceFactory implements SourceFactory {

    /** Called by {@link java.util.ServiceLoader}. */
    public MilvusSourceFactory() {
    }

    @Override
    public String name() {
        return "milvus";
    }

    @Override
    public boolean supports(URI uri) {
        return "milvus".equalsIgnoreCase(uri.getScheme());
    }

    @Override
    public Source create(URI uri) {
        return builder(uri, System.getenv()).build();
    }

    static MilvusSource.Builder builder(URI uri, Map<String, String> env) {
        // the same address, credentials and path as a Milvus target's URI
        MilvusTarget.Builder target = MilvusTargetFactory.builder(uri, env);
        var b = MilvusSource.builder().uri(target.uri);
        if (target.token != null) {
            b.token(target.token);
        } else if (target.user != null) {
            b.user(target.user).password(target.password == null ? "" : target.password);
        }
        String[] parts = MilvusTargetFactory.pathParts(uri);
        if (parts.length >= 1) {
            b.database(parts[0]);
        }
        if (parts.length >= 2) {
            for (String name : parts[1].split(",")) {
                if (name.isBlank()) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus URI path " + uri.getRawPath()
                            + " names an empty collection");
                }
                b.collection(name.strip());
            }
        }
        return b;
    }
}
