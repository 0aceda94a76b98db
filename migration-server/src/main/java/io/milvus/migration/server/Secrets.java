package io.milvus.migration.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Takes passwords, keys and tokens out of submitted configs and texts before they are shown anywhere. */
final class Secrets {
    static final String MASK = "***";

    /** Keys whose values are secret wherever they appear (ak too: an access key id names an account). */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|apikey|api_key|accountkey|sas)|ak|sk|key");
    /** user:password@ in a URL, and the Go DSN form user:password@tcp(...). */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://|^|[\\s'\"=])([^\\s/@'\":]+):([^\\s/@'\"]+)@");
    private static final Pattern QUERY_SECRET = Pattern.compile("(?i)([?&](token|password|sig|secret)=)[^&\\s'\"]+");

    private Secrets() {
    }

    static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /** A copy of a parsed config with every secret value masked, and credentials in URLs too. */
    static Object redact(Object value) {
        if (value instanceof Map<?, ?> map) {
            var out = new LinkedHashMap<String, Object>();
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                out.put(key, isSecretKey(key) && v != null && !(v instanceof Map) && !(v instanceof List)
                        ? MASK : redact(v));
            });
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Secrets::redact).toList();
        }
        if (value instanceof String s) {
            return redactText(s);
        }
        return value;
    }

    /** The values under secret keys of a parsed config, to be masked in any text about its job. */
    static java.util.Set<String> values(Object value) {
        var out = new java.util.HashSet<String>();
        collect(value, false, out);
        return out;
    }

    private static void collect(Object value, boolean secret, java.util.Set<String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, isSecretKey(String.valueOf(k)), out));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collect(v, secret, out));
        } else if (secret && value != null && String.valueOf(value).length() >= 3) {
            out.add(String.valueOf(value));
        }
    }

    /** {@code text} with each of {@code values} masked, and credentials in URLs. */
    static String mask(String text, java.util.Set<String> values) {
        String out = text == null ? "" : text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return redactText(out);
    }

    /** A text with credentials in URLs and query strings masked. */
    static String redactText(String s) {
        if (s == null) {
            return "";
        }
        String out = USER_INFO.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1) + m.group(2) + ":" + MASK + "@"));
        return QUERY_SECRET.matcher(out).replaceAll("$1" + MASK);
    }
}
