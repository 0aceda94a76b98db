package io.milvus.migration.milvus2;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.Source;
import java.net.URI;
import java.util.Map;

/**
 * {@code milvus://[user[:password]@]host[:port][/database[/collection[,collection...]]][?token=..&tls=true]} as a
 * {@link MilvusSource}: the named collections, or every collection of the database (default {@code default});
 * found by {@link java.util.ServiceLoader}. Credentials missing from the URI come from {@code MILVUS_TOKEN}, or
 * {@code MILVUS_USER} and {@code MILVUS_PASSWORD}; none of them appears in a message. From YAML, a
 * {@link MilvusSourceSettings} ({@code source.milvus}; errors name its keys as {@code source.milvus.<key>}).
 */
public final class MilvusSourceFactory implements ConfigurableSourceFactory<MilvusSourceSettings> {
    private static final String AT = "source.milvus.";

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

    @Override
    public Class<MilvusSourceSettings> settingsType() {
        return MilvusSourceSettings.class;
    }

    @Override
    public void validate(MilvusSourceSettings s) {
        builder(s);
    }

    /** Does not connect yet: the collections are described when the migration starts. */
    @Override
    public Source create(MilvusSourceSettings s) {
        return builder(s).build();
    }

    static MilvusSource.Builder builder(MilvusSourceSettings s) {
        var b = MilvusSource.builder();
        if (s.endpoint == null || s.endpoint.isBlank()) {
            throw bad("endpoint", "is missing");
        }
        b.uri(s.endpoint.contains("://") ? s.endpoint : "http://" + s.endpoint);
        if (s.username != null) {
            b.user(s.username);
        }
        if (s.password != null) {
            b.password(s.password);
        }
        if (s.token != null) {
            b.token(s.token);
        }
        if (s.database != null) {
            b.database(s.database);
        }
        if (s.pageRows != null) {
            if (s.pageRows < 1 || s.pageRows > KeyRanges.SCAN_PAGE) {
                throw bad("pageRows", "must be 1 to " + KeyRanges.SCAN_PAGE + ", found " + s.pageRows);
            }
            b.pageRows(s.pageRows);
        }
        if (s.newIds != null) {
            b.newIds(s.newIds);
        }
        if (s.collections != null) {
            for (int i = 0; i < s.collections.size(); i++) {
                MilvusSourceSettings.Collection c = s.collections.get(i);
                if (c == null || c.name == null || c.name.isBlank()) {
                    throw bad("collections[" + i + "].name", "is missing");
                }
                b.collection(c.name, c.target == null ? c.name : c.target);
            }
        }
        if (s.databases != null) {
            for (int i = 0; i < s.databases.size(); i++) {
                if (s.databases.get(i) == null || s.databases.get(i).isBlank()) {
                    throw bad("databases[" + i + "]", "is empty");
                }
                b.allCollections(s.databases.get(i));
            }
        }
        return b;
    }

    private static MigrationException bad(String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, AT + key + " " + problem);
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
