package io.milvus.migration.milvus2;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Target;
import io.milvus.migration.spi.TargetFactory;
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
 */
public final class MilvusTargetFactory implements TargetFactory {

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
