package io.milvus.migration.server;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.yaml.MigrationYaml;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** A {@code server.yaml} mapped onto {@link MigrationServer.Builder}; unknown keys and bad values name the key. */
final class ServerYaml {
    private static final List<String> KEYS = List.of("host", "port", "token", "allowLoopbackWithoutToken",
            "maxConcurrentJobs", "maxBodyKB", "onRestart", "migrationConfig", "checkpoint");

    private ServerYaml() {
    }

    static MigrationServer.Builder builder(Path file) {
        Map<?, ?> root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            root = doc == null ? Map.of() : doc instanceof Map<?, ?> m ? m : null;
        } catch (IOException | YAMLException e) {
            // not the parser's message: it may quote a line holding the token
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot read server config " + file + ": "
                    + e.getClass().getSimpleName());
        }
        if (root == null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "server config " + file + " must hold a mapping");
        }
        for (Object k : root.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw error(file, String.valueOf(k), "is not a known setting (" + String.join(", ", KEYS) + ")");
            }
        }
        var b = MigrationServer.builder();
        string(root, "host").ifPresent(b::host);
        integer(file, root, "port").ifPresent(b::port);
        b.token(string(root, "token").orElse(System.getenv("MIGRATION_SERVER_TOKEN")));
        bool(file, root, "allowLoopbackWithoutToken").ifPresent(b::allowLoopbackWithoutToken);
        integer(file, root, "maxConcurrentJobs").ifPresent(b::maxConcurrentJobs);
        integer(file, root, "maxBodyKB").ifPresent(kb -> b.maxBodyBytes(1024L * kb));
        string(root, "onRestart").ifPresent(v -> b.onRestart(switch (v.toLowerCase(Locale.ROOT)) {
            case "resume" -> MigrationServer.OnRestart.RESUME;
            case "interrupt", "mark_interrupted" -> MigrationServer.OnRestart.MARK_INTERRUPTED;
            default -> throw error(file, "onRestart", "must be resume or interrupt, found '" + v + "'");
        }));
        string(root, "migrationConfig").ifPresent(p -> {
            Path config = file.toAbsolutePath().getParent().resolve(p);
            try {
                String text = Files.readString(config);
                MigrationYaml.check(text, config.toString(), io.milvus.migration.Migration.Verb.RUN);
                b.migrationConfig(text);
            } catch (IOException e) {
                throw error(file, "migrationConfig", "names " + config + ", which cannot be read");
            }
        });
        if (root.get("checkpoint") != null) {
            b.ownedCheckpoints(() -> MigrationYaml.checkpointStore(file)); // the same section as migration.yaml's
        }
        return b;
    }

    private static MigrationException error(Path file, String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, file + ": key '" + key + "' " + problem);
    }

    private static java.util.Optional<String> string(Map<?, ?> root, String key) {
        Object v = root.get(key);
        return v == null ? java.util.Optional.empty() : java.util.Optional.of(String.valueOf(v));
    }

    private static java.util.Optional<Integer> integer(Path file, Map<?, ?> root, String key) {
        return string(root, key).map(s -> {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw error(file, key, "must be a whole number, found '" + s + "'");
            }
        });
    }

    private static java.util.Optional<Boolean> bool(Path file, Map<?, ?> root, String key) {
        return string(root, key).map(s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(file, key, "must be true or false, found '" + s + "'");
        });
    }
}
