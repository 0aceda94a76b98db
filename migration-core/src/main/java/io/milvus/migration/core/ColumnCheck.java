package io.milvus.migration.core;

import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import java.util.List;

/** Whether a column is of the kind its field's type takes, and whether its values fit the field. */
final class ColumnCheck {
    private ColumnCheck() {
    }

    /** Whether the column is of the kind {@link DataType} names for the field's type, with its dimension. */
    static boolean fits(Column c, FieldSchema f) {
        return switch (f.type()) {
            case BOOL -> c instanceof Column.Bools;
            case INT8, INT16, INT32 -> c instanceof Column.Ints;
            case INT64 -> c instanceof Column.Longs;
            case FLOAT -> c instanceof Column.Floats;
            case DOUBLE -> c instanceof Column.Doubles;
            case VARCHAR, JSON -> c instanceof Column.Strings;
            case ARRAY -> c instanceof Column.Lists;
            case FLOAT_VECTOR -> c instanceof Column.FloatVectors v && v.dimension() == f.dimension() || stored(c, f);
            case BINARY_VECTOR -> c instanceof Column.BinaryVectors v && v.dimension() == f.dimension()
                    || stored(c, f);
            case FLOAT16_VECTOR, BFLOAT16_VECTOR -> c instanceof Column.HalfVectors v && v.type() == f.type()
                    && v.dimension() == f.dimension();
            case SPARSE_FLOAT_VECTOR -> c instanceof Column.SparseVectors;
        };
    }

    private static boolean stored(Column c, FieldSchema f) {
        return c instanceof Column.StoredVectors v && v.type() == f.type() && v.dimension() == f.dimension();
    }

    /** What is wrong with the first value that does not fit the field (row numbers of the batch), or null. */
    static String badValue(Column c, FieldSchema f) {
        boolean nullsAllowed = f.nullable() || f.defaultValue().isPresent();
        if (c.hasNulls() && !nullsAllowed) {
            for (int r = 0; r < c.rowCount(); r++) {
                if (c.isNull(r)) {
                    return "row " + r + " has no value, and the field is neither nullable nor has a default";
                }
            }
        }
        switch (f.type()) {
            case INT8, INT16 -> {
                var ints = (Column.Ints) c;
                int min = f.type() == DataType.INT8 ? Byte.MIN_VALUE : Short.MIN_VALUE;
                int max = f.type() == DataType.INT8 ? Byte.MAX_VALUE : Short.MAX_VALUE;
                for (int r = 0; r < c.rowCount(); r++) {
                    if (!c.isNull(r) && (ints.get(r) < min || ints.get(r) > max)) {
                        return "row " + r + " holds " + ints.get(r) + ", outside " + f.type() + " [" + min + ", "
                                + max + "]";
                    }
                }
            }
            case VARCHAR -> {
                var strings = (Column.Strings) c;
                for (int r = 0; r < c.rowCount(); r++) {
                    String s = strings.get(r);
                    if (s != null && 3L * s.length() > f.maxLength() && utf8Length(s) > f.maxLength()) {
                        return "row " + r + " holds " + utf8Length(s) + " bytes, more than the max length "
                                + f.maxLength();
                    }
                }
            }
            case ARRAY -> {
                var lists = (Column.Lists) c;
                for (int r = 0; r < c.rowCount(); r++) {
                    List<?> l = lists.get(r);
                    if (l == null) {
                        continue;
                    }
                    if (l.size() > f.maxCapacity()) {
                        return "row " + r + " holds " + l.size() + " elements, more than the max capacity "
                                + f.maxCapacity();
                    }
                    for (Object e : l) {
                        if (!element(e, f)) {
                            return "row " + r + " holds " + e + (e == null ? "" : " (" + e.getClass().getSimpleName()
                                    + ")") + ", not an element of ARRAY<" + f.elementType() + ">";
                        }
                    }
                }
            }
            default -> {
            }
        }
        return null;
    }

    private static boolean element(Object e, FieldSchema f) {
        return f.elementType().holds(e) && !(e instanceof String s && utf8Length(s) > f.maxLength());
    }

    /** Milvus counts a VARCHAR's max length in bytes of UTF-8. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n++;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
