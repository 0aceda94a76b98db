package io.milvus.migration.qdrant;

import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.Map;

/** Qdrant payload values as JSON text, for the dynamic field and JSON fields. */
final class PayloadJson {
    private PayloadJson() {
    }

    /** The payload keys of {@code values} as one JSON object, keys in their map's order. */
    static String object(Map<String, Value> values) {
        var sb = new StringBuilder(64).append('{');
        boolean first = true;
        for (var e : values.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    static String text(Value v) {
        var sb = new StringBuilder();
        value(sb, v);
        return sb.toString();
    }

    /** Writes one value; a value of no kind (never sent by Qdrant) is written as null, as Qdrant reads it. */
    private static void value(StringBuilder sb, Value v) {
        switch (v.getKindCase()) {
            case DOUBLE_VALUE -> {
                double d = v.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("payload holds " + d + ", which JSON cannot");
                }
                sb.append(d);
            }
            case INTEGER_VALUE -> sb.append(v.getIntegerValue());
            case STRING_VALUE -> string(sb, v.getStringValue());
            case BOOL_VALUE -> sb.append(v.getBoolValue());
            case STRUCT_VALUE -> sb.append(object(v.getStructValue().getFieldsMap()));
            case LIST_VALUE -> {
                sb.append('[');
                var list = v.getListValue().getValuesList();
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    value(sb, list.get(i));
                }
                sb.append(']');
            }
            default -> sb.append("null");
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
