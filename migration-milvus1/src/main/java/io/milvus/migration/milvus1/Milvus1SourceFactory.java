package io.milvus.migration.milvus1;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.RemoteStorages;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Storage;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Creates {@link Milvus1Source}s for {@code milvus1:} URIs: {@code milvus1:/var/lib/milvus} (a data directory),
 * {@code milvus1:/x/db/meta.sqlite} (a SQLite catalogue, segments in {@code tables/} next to it) or
 * {@code milvus1:/x/meta.json} (the old tool's meta, segments in {@code tables/} next to it). Found with
 * {@link java.util.ServiceLoader}. From YAML, a {@link Milvus1Settings} ({@code source.milvus1}; errors name its keys
 * as {@code source.milvus1.<key>}).
 */
public final class Milvus1SourceFactory implements ConfigurableSourceFactory<Milvus1Settings> {
    private static final String AT = "source.milvus1.";
    /** Called by {@link java.util.ServiceLoader}. */
    public Milvus1SourceFactory() {
    }

    @Override
    public String name() {
        return "milvus1";
    }

    @Override
    public boolean supports(URI uri) {
        return "milvus1".equals(uri.getScheme());
    }

    @Override
    public Source create(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x source URI " + uri
                    + " names no path; use milvus1:/path/to/milvus-data");
        }
        Path p = Path.of(path);
        if (path.endsWith(".json")) {
            return Milvus1Source.builder().jsonMeta(p).build();
        }
        if (path.endsWith(".sqlite")) {
            return Milvus1Source.builder().sqliteMeta(p).build();
        }
        return Milvus1Source.builder().directory(p).build();
    }

    @Override
    public Class<Milvus1Settings> settingsType() {
        return Milvus1Settings.class;
    }

    /** Checks the catalogue settings, then tablesDir, then the remote storage; no I/O. */
    @Override
    public void validate(Milvus1Settings s) {
        catalogue(s, null);
        if (s.tablesDir == null) {
            throw bad("tablesDir", "is missing");
        }
        if (s.remote != null) {
            RemoteStorages.validate(s.remote, AT + "remote");
        }
    }

    @Override
    public Source create(Milvus1Settings s) {
        validate(s);
        Storage storage = s.remote == null ? null : RemoteStorages.create(s.remote, AT + "remote");
        try {
            Milvus1Source.Builder b = catalogue(s, storage);
            if (storage != null) {
                b.tables(storage, s.tablesDir.replaceFirst("^/+", ""));
                b.ownedStorage = storage;
            } else {
                b.tablesDirectory(Path.of(s.tablesDir));
            }
            return b.build();
        } catch (RuntimeException e) {
            if (storage != null) {
                storage.close();
            }
            throw e;
        }
    }

    /**
     * Reads a SQLite or MySQL catalogue (no segment files) and writes it as the old tool's {@code meta.json}, as
     * {@link Milvus1Source.Builder#writeMetaJson} does; only the catalogue settings are read.
     *
     * @return rows per collection written
     */
    public static Map<String, Long> writeMetaJson(Milvus1Settings s, Path output) {
        String mode = s.metaMode == null ? "" : s.metaMode.trim();
        if (!mode.equalsIgnoreCase("sqlite") && !mode.equalsIgnoreCase("mysql")) {
            throw bad("metaMode", "must be sqlite or mysql to export meta.json, found '" + s.metaMode + "'");
        }
        return catalogue(s, null).writeMetaJson(output);
    }

    /** A builder with the catalogue of the settings; {@code storage} (null to only check) for a remote meta.json. */
    private static Milvus1Source.Builder catalogue(Milvus1Settings s, Storage storage) {
        Milvus1Source.Builder b = Milvus1Source.builder();
        if (s.metaMode == null) {
            throw bad("metaMode", "is missing (sqlite, mysql, mock, local or remote)");
        }
        switch (s.metaMode.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sqlite" -> b.sqliteMeta(Path.of(required(s.sqliteFile, "sqliteFile")));
            case "mock" -> b.jsonMeta(Path.of(required(s.mockFile, "mockFile")));
            case "local" -> b.jsonMeta(Path.of(required(s.localFile, "localFile")));
            case "remote" -> {
                String key = required(s.remoteMetaFile, "remoteMetaFile").replaceFirst("^/+", "");
                if (key.isEmpty()) {
                    throw bad("remoteMetaFile", "is empty");
                }
                if (s.remote == null) {
                    throw bad("metaMode", "'remote' reads remoteMetaFile from the source's object store, which"
                            + " needs remote");
                }
                if (storage != null) {
                    b.jsonMeta(storage, key);
                }
            }
            case "mysql" -> {
                String url = required(s.mysqlUrl, "mysqlUrl");
                if (url.startsWith("jdbc:")) {
                    b.mysqlMeta(url, s.mysqlUser, s.mysqlPassword);
                } else {
                    if (s.mysqlUser != null) {
                        throw bad("mysqlUser", "only goes with a JDBC mysqlUrl; the Go tool's form carries"
                                + " user:password itself");
                    }
                    if (s.mysqlPassword != null) {
                        throw bad("mysqlPassword", "only goes with a JDBC mysqlUrl; the Go tool's form carries"
                                + " user:password itself");
                    }
                    try {
                        b.mysqlMetaDsn(url);
                    } catch (MigrationException e) {
                        throw bad("mysqlUrl", "is not valid: " + e.reason());
                    }
                }
            }
            default -> throw bad("metaMode", "must be one of [sqlite, mysql, mock, local, remote], found '"
                    + s.metaMode + "'");
        }
        return b;
    }

    private static String required(String value, String key) {
        if (value == null) {
            throw bad(key, "is missing");
        }
        return value;
    }

    private static MigrationException bad(String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, AT + key + " " + problem);
    }
}
