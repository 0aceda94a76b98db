package io.milvus.migration.yaml;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plug-in's settings gathered from the old tool's layout, where they are spread over several sections
 * ({@code meta.*}, {@code source.local}, {@code target.create.collection.*}, ...): each settings key remembers the
 * YAML key it came from, so that a binding error or a plug-in's message naming {@code source.<name>.<key>} (or
 * {@code target.<name>.<key>}) is told as the key the user wrote.
 */
final class MappedSettings {
    private final String file;
    private final String prefix;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();

    /**
     * @param file   the config's name, for messages
     * @param prefix how the plug-in names its settings in messages, such as {@code source.faiss}
     */
    MappedSettings(String file, String prefix) {
        this.file = file;
        this.prefix = prefix;
    }

    /** Sets {@code key} (when {@code value} is not null) from the YAML key {@code origin}. */
    MappedSettings put(String key, Object value, String origin) {
        if (value != null) {
            values.put(key, value);
            origins.put(key, origin);
        }
        return this;
    }

    /** Where {@code key} would come from though the file does not set it: for a plug-in's "is missing". */
    MappedSettings origin(String key, String origin) {
        origins.putIfAbsent(key, origin);
        return this;
    }

    /** Sets {@code key} from {@code node}'s key {@code name}, when present. */
    MappedSettings put(String key, java.util.Optional<?> value, ConfigNode node, String name) {
        return put(key, value.orElse(null), node.keyOf(name));
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The settings bound to {@code type}; a value of the wrong kind fails naming the YAML key. */
    <S> S bind(Class<S> type) {
        try {
            return ConfigNode.SETTINGS.convertValue(values, type);
        } catch (IllegalArgumentException e) {
            String at = "";
            boolean unknown = e.getCause()
                    instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
            if (e.getCause() instanceof JsonMappingException m) {
                for (var ref : m.getPath()) {
                    at += ref.getFieldName() != null ? (at.isEmpty() ? "" : ".") + ref.getFieldName()
                            : "[" + ref.getIndex() + "]";
                }
            }
            // never the value, which may be a secret
            String origin = origin(at);
            throw new MigrationException(ErrorCode.INVALID_CONFIG, file + ": key '"
                    + (origin == null ? prefix + "." + at : origin) + "' " + (unknown ? "is not a setting of "
                    : "has a value of the wrong kind for ") + type.getSimpleName());
        }
    }

    /** The plug-in's {@code INVALID_CONFIG} naming one of its settings, told as the YAML key; others unchanged. */
    MigrationException translate(MigrationException e) {
        String reason = e.reason();
        if (e.code() != ErrorCode.INVALID_CONFIG || !reason.startsWith(prefix + ".")) {
            return e;
        }
        int space = reason.indexOf(' ');
        String setting = reason.substring(prefix.length() + 1, space < 0 ? reason.length() : space);
        String problem = space < 0 ? "is not valid" : reason.substring(space + 1);
        String origin = origin(setting);
        if (origin == null) {
            return new MigrationException(e.code(), file + ": " + reason, e.getCause());
        }
        return new MigrationException(e.code(), file + ": key '" + origin + "' " + problem, e.getCause());
    }

    /** Whether {@code e} is the plug-in's complaint about one of its settings that no YAML key gave. */
    boolean namesUnmapped(MigrationException e) {
        String reason = e.reason();
        if (e.code() != ErrorCode.INVALID_CONFIG || !reason.startsWith(prefix + ".")) {
            return false;
        }
        int space = reason.indexOf(' ');
        return origin(reason.substring(prefix.length() + 1, space < 0 ? reason.length() : space)) == null;
    }

    /** The YAML key a settings path ({@code remote.sk}, {@code fields[0].type}) came from, or null. */
    private String origin(String setting) {
        String best = null;
        for (String key : origins.keySet()) {
            boolean under = setting.equals(key) || setting.startsWith(key + ".") || setting.startsWith(key + "[");
            if (under && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? null : origins.get(best) + setting.substring(best.length());
    }

    /** Runs {@code r}, telling a plug-in's error as the YAML key. */
    <T> T call(java.util.function.Supplier<T> r) {
        try {
            return r.get();
        } catch (MigrationException e) {
            throw translate(e);
        }
    }
}
