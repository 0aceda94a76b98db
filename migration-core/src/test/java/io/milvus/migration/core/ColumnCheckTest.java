package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnCheckTest {

    @Test
    void columnKindsMustMatchTheirTypes() {
        var i16 = FieldSchema.builder("n", DataType.INT16).build();
        assertThat(ColumnCheck.fits(new Column.Ints(new int[1]), i16)).isTrue();
        assertThat(ColumnCheck.fits(new Column.Longs(new long[1]), i16)).isFalse();
        var half = FieldSchema.builder("h", DataType.BFLOAT16_VECTOR).dimension(2).build();
        assertThat(ColumnCheck.fits(new Column.HalfVectors(DataType.BFLOAT16_VECTOR, 2, new byte[4]), half)).isTrue();
        assertThat(ColumnCheck.fits(new Column.HalfVectors(DataType.FLOAT16_VECTOR, 2, new byte[4]), half)).isFalse();
        assertThat(ColumnCheck.fits(new Column.HalfVectors(DataType.BFLOAT16_VECTOR, 1, new byte[4]), half)).isFalse();
    }

    @Test
    void valuesThatDoNotFitAreNamedByRow() {
        var i8 = FieldSchema.builder("n", DataType.INT8).build();
        assertThat(ColumnCheck.badValue(new Column.Ints(new int[] {1, 128}), i8)).contains("row 1", "128", "INT8");
        var nulls = new BitSet();
        nulls.set(0);
        assertThat(ColumnCheck.badValue(new Column.Ints(new int[] {1000, 5}, nulls), i8)).contains("row 0", "nullable");
        var nullable = i8.toBuilder().nullable(true).build();
        assertThat(ColumnCheck.badValue(new Column.Ints(new int[] {1000, 5}, nulls), nullable)).isNull();
        var s = FieldSchema.builder("s", DataType.VARCHAR).maxLength(5).build();
        assertThat(ColumnCheck.badValue(new Column.Strings(List.of("abcd", "é€")), s)).isNull();   // 2 + 3 bytes
        assertThat(ColumnCheck.badValue(new Column.Strings(List.of("abcd", "éé€")), s)).contains("row 1", "7 bytes");
        var a = FieldSchema.builder("a", DataType.ARRAY).elementType(DataType.INT32).maxCapacity(2).build();
        assertThat(ColumnCheck.badValue(new Column.Lists(new List<?>[] {List.of(1, 2, 3)}), a)).contains("capacity");
        assertThat(ColumnCheck.badValue(new Column.Lists(new List<?>[] {List.of(1L)}), a)).contains("ARRAY<INT32>");
        assertThat(ColumnCheck.badValue(new Column.Lists(new List<?>[] {List.of(1, 2), null}),
                a.toBuilder().nullable(true).build())).isNull();
    }
}
