package io.milvus.migration.yaml;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One mapping of a YAML document with its dotted path, remembering which keys were read so that {@link #finish()}
 * can reject the ones nobody knows. Every error names the full key.
 */
final class ConfigNode {
    private final String file;
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();
    private final List<ConfigNode> children = new ArrayList<>();

    ConfigNode(String file, String path, Map<?, ?> values) {
        this.file = file;
        this.path = path;
        this.values = new LinkedHashMap<>();
        values.forEach((k, v) -> this.values.put(String.valueOf(k), v));
    }

    private String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The full dotted key of {@code name} in this node, as errors name it. */
    String keyOf(String name) {
        return key(name);
    }

    /** This node's own dotted key ("" at the top). */
    String path() {
        return path;
    }

    /** The file (or name) the node was read from, for messages. */
    String file() {
        return file;
    }

    MigrationException error(String name, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, file + ": key '" + key(name) + "' " + problem);
    }

    /** The file and this node's key, for messages: {@code migration.yaml: transforms[1]}. */
    String where() {
        return file + ": " + (path.isEmpty() ? "the top level" : path);
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    /** Whether the key holds a single value rather than a mapping or list. */
    boolean isScalar(String name) {
        Object v = values.get(name);
        return v != null && !(v instanceof Map) && !(v instanceof List);
    }

    Optional<ConfigNode> optNode(String name) {
        read.add(name);
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw error(name, "must be a mapping, found " + describe(v));
        }
        var child = new ConfigNode(file, key(name), m);
        children.add(child);
        return Optional.of(child);
    }

    ConfigNode node(String name) {
        return optNode(name).orElseThrow(() -> error(name, "is missing"));
    }

    Optional<String> optString(String name) {
        read.add(name);
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map || v instanceof List) {
            throw error(name, "must be a single value, found " + describe(v));
        }
        return Optional.of(String.valueOf(v));
    }

    /** A list's elements (scalars as text, mappings as nodes); empty if the key is absent. */
    List<Object> optList(String name) {
        read.add(name);
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw error(name, "must be a list, found " + describe(v));
        }
        var out = new ArrayList<Object>();
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (e instanceof Map<?, ?> m) {
                var child = new ConfigNode(file, key(name) + "[" + i + "]", m);
                children.add(child);
                out.add(child);
            } else if (e instanceof List) {
                throw error(name, "must be a list of values or mappings, found a list in a list");
            } else if (e != null) {
                out.add(String.valueOf(e));
            }
        }
        return out;
    }

    String string(String name) {
        return optString(name).orElseThrow(() -> error(name, "is missing"));
    }

    Optional<Integer> optInt(String name) {
        return optString(name).map(s -> {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw error(name, "must be a whole number, found '" + s + "'");
            }
        });
    }

    Optional<Boolean> optBool(String name) {
        return optString(name).map(s -> switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(name, "must be true or false, found '" + s + "'");
        });
    }

    /** A single value or a list of single values; empty when the key is absent. */
    List<String> optStrings(String name) {
        read.add(name);
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof Map) {
            throw error(name, "must be a value or a list of values, found a mapping");
        }
        var out = new ArrayList<String>();
        for (Object e : v instanceof List<?> l ? l : List.of(v)) {
            if (e == null || e instanceof Map || e instanceof List) {
                throw error(name, "must list single values, found " + (e == null ? "an empty entry" : describe(e)));
            }
            out.add(String.valueOf(e));
        }
        return out;
    }

    /** A list of mappings, each checked like a section ({@code name[i]} in errors); empty when absent. */
    List<ConfigNode> optNodes(String name) {
        read.add(name);
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw error(name, "must be a list, found " + describe(v));
        }
        var out = new ArrayList<ConfigNode>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Map<?, ?> m)) {
                throw error(name, "entry " + (i + 1) + " must be a mapping, found " + describe(l.get(i)));
            }
            var child = new ConfigNode(file, key(name) + "[" + i + "]", m);
            children.add(child);
            out.add(child);
        }
        return out;
    }

    /**
     * The mapping under {@code name} (empty if absent) bound to {@code type} with Jackson, for a plug-in's settings:
     * a key {@code type} does not have, or a value of the wrong kind, fails naming the key (never the value, which
     * may be a secret).
     */
    <S> S bind(String name, Class<S> type) {
        read.add(name);
        Object v = values.get(name);
        if (v != null && !(v instanceof Map)) {
            throw error(name, "must be a mapping, found " + describe(v));
        }
        return convert(v == null ? Map.of() : v, type, name);
    }

    /**
     * This mapping, but for the keys in {@code except} (read elsewhere), bound to {@code type} as {@link #bind}
     * binds a section: for a list entry such as {@code transforms[0]}, whose keys are the settings.
     */
    <S> S bindSelf(Class<S> type, String... except) {
        var settings = new LinkedHashMap<String, Object>(values);
        for (String key : except) {
            settings.remove(key);
        }
        read.addAll(values.keySet());
        return convert(settings, type, "");
    }

    private <S> S convert(Object v, Class<S> type, String name) {
        try {
            return SETTINGS.convertValue(v, type);
        } catch (IllegalArgumentException e) {
            String at = name;
            String problem = "cannot be read as the settings " + type.getSimpleName() + " take";
            if (e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
                for (var ref : m.getPath()) {
                    String step = ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]";
                    at += at.isEmpty() || step.startsWith("[") ? step : "." + step;
                }
                problem = m instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException
                        ? "is not a known setting" : "has a value of the wrong kind";
            }
            if (at.isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, file + ": key '" + path + "' " + problem);
            }
            throw error(at, problem);
        }
    }

    /** Binds plug-in settings (also for {@link MappedSettings}): an unknown key is an error. */
    static final com.fasterxml.jackson.databind.ObjectMapper SETTINGS =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One of {@code allowed} (case-insensitive), returned as {@code allowed} spells it. */
    Optional<String> optChoice(String name, String... allowed) {
        return optString(name).map(s -> {
            for (String a : allowed) {
                if (a.equalsIgnoreCase(s.trim())) {
                    return a;
                }
            }
            throw error(name, "must be one of " + List.of(allowed) + ", found '" + s + "'");
        });
    }

    /** Fails on the first key, here or below, that no one read. */
    void finish() {
        for (String k : values.keySet()) {
            if (!read.contains(k)) {
                throw error(k, "is not a known setting");
            }
        }
        children.forEach(ConfigNode::finish);
    }

    private static String describe(Object v) {
        return v instanceof Map ? "a mapping" : v instanceof List ? "a list" : "'" + v + "'";
    }
}
