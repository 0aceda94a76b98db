package io.milvus.migration.milvus2;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableTargetFactory;
import io.milvus.migration.spi.Target;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code milvus://[user[:password]@]host[:port][/database[/collection]][?token=..&tls=true]} as a
 * {@link MilvusTarget}; found by {@link java.util.ServiceLoader}. Credentials missing from the URI come from
 * {@code MILVUS_TOKEN}, or {@code MILVUS_USER} and {@code MILVUS_PASSWORD}; none of them appears in a message.
 * From YAML, a {@link MilvusTargetSettings} (errors name its keys as {@code target.milvus.<key>}).
 */
public final class MilvusTargetFactory implements ConfigurableTargetFactory<MilvusTargetSettings> {

    /** Called by {@link java.util.ServiceLoader}. */
    public MilvusTargetFactory() {
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
    public Target create(URI uri) {
        return builder(uri, System.getenv()).build();
    }

    @Override
    public Optional<String> collection(URI uri) {
        String[] parts = pathParts(uri);
        return parts.length >= 2 ? Optional.of(parts[1]) : Optional.empty();
    }

    @Override
    public Class<MilvusTargetSettings> settingsType() {
        return MilvusTargetSettings.class;
    }

    @Override
    public void validate(MilvusTargetSettings settings) {
        builder(settings);
    }

    @Override
    public Target create(MilvusTargetSettings settings) {
        return builder(settings).build();
    }

    static MilvusTarget.Builder builder(MilvusTargetSettings s) {
        var t = MilvusTarget.builder();
        t.bulkImport(s.bulkImport);
        if (s.writeMode != null) {
            String w = choice("writeMode", s.writeMode, "insert", "upsert");
            t.bulkImport(false).upsert(w.equals("upsert"));
        }
        if (s.endpoint == null || s.endpoint.isBlank()) {
            throw bad("endpoint", "is missing");
        }
        t.uri(s.endpoint.contains("://") ? s.endpoint : "http://" + s.endpoint);
        if (s.username != null) {
            t.user(s.username);
        }
        if (s.password != null) {
            t.password(s.password);
        }
        if (s.token != null) {
            t.token(s.token);
        }
        if (s.database != null) {
            t.database(s.database);
        }
        if (s.mode != null) {
            t.bulkImport(choice("mode", s.mode, "bulkImport", "insert").equals("bulkImport"));
        }
        if (s.shards != null) {
            if (s.shards < 1) {
                throw bad("shards", "must be at least 1, found " + s.shards);
            }
            t.shards(s.shards);
        }
        if (s.description != null) {
            t.description(s.description);
        }
        if (s.enableDynamicField != null) {
            t.dynamicField(s.enableDynamicField);
        }
        if (s.ifExists != null) {
            t.ifExists(MilvusTarget.IfExists.valueOf(choice("ifExists", s.ifExists, "fail", "append", "recreate")
                    .toUpperCase(java.util.Locale.ROOT)));
        }
        if (s.index != null) {
            t.createIndex(s.index);
            if (s.indexParams != null) {
                t.indexParams(s.indexParams);
            }
        } else if (s.indexParams != null) {
            throw bad("indexParams", "needs an index type");
        }
        if (s.load != null) {
            t.loadCollection(s.load);
        }
        return t;
    }

    private static String choice(String key, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.trim())) {
                return a;
            }
        }
        throw bad(key, "must be one of " + java.util.List.of(allowed) + ", found '" + value + "'");
    }

    private static MigrationException bad(String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "target.milvus." + key + " " + problem);
    }

    static MilvusTarget.Builder builder(URI uri, Map<String, String> env) {
        if (!"milvus".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "a Milvus URI is milvus://host[:port]/database"
                    + "[/collection], found scheme '" + uri.getScheme() + "'" + (uri.getHost() == null
                    ? " without a host" : ""));
        }
        Map<String, String> query = query(uri);
        boolean tls = Boolean.parseBoolean(query.getOrDefault("tls", "false"));
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 19530;
        var b = MilvusTarget.builder().uri((tls ? "https://" : "http://") + uri.getHost() + ":" + port);
        String[] parts = pathParts(uri);
        if (parts.length > 2) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus URI path " + uri.getRawPath()
                    + " has more than /database/collection");
        }
        if (parts.length >= 1) {
            b.database(parts[0]);
        }
        String token = query.get("token");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (token == null && user == null) {
            token = env.get("MILVUS_TOKEN");
            user = env.get("MILVUS_USER");
        }
        if (password == null && user != null) {
            password = env.get("MILVUS_PASSWORD");
        }
        if (token != null && !token.isEmpty()) {
            b.token(token);
        } else if (user != null && !user.isEmpty()) {
            b.user(user).password(password == null ? "" : password);
        }
        return b;
    }

    static String[] pathParts(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        return path.isEmpty() ? new String[0] : path.split("/+");
    }

    static Map<String, String> query(URI uri) {
        var out = new HashMap<String, String>();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                String key = decode(eq < 0 ? kv : kv.substring(0, eq));
                if (!key.equals("token") && !key.equals("tls")) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "unknown Milvus URI setting '" + key
                            + "'; known: token, tls");
                }
                out.put(key, eq < 0 ? "" : decode(kv.substring(eq + 1)));
            }
        }
        return out;
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
