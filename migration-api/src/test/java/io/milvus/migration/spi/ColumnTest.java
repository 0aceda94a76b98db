package io.milvus.migration.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ColumnTest {

    private static BitSet bits(int... rows) {
        var b = new BitSet();
        Arrays.stream(rows).forEach(b::set);
        return b;
    }

    @Test
    void aSliceIsAViewOfTheSameArrayWithItsNullsRenumbered() {
        long[] values = {10, 11, 12, 13, 14, 15};
        var column = new Column.Longs(values, bits(1, 4));
        Column.Longs slice = column.slice(2, 6).slice(1, 4);   // rows 3, 4, 5
        assertThat(slice.rowCount()).isEqualTo(3);
        assertThat(slice.values()).containsExactly(13, 14, 15);
        assertThat(slice.isNull(0)).isFalse();
        assertThat(slice.isNull(1)).isTrue();
        assertThat(slice.value(1)).isNull();
        assertThat(slice.nulls()).isEqualTo(bits(1));
        values[5] = 99;   // a view, not a copy
        assertThat(slice.get(2)).isEqualTo(99);
        assertThat(column.slice(0, 1).hasNulls()).isFalse();
        assertThat(column.values()).isSameAs(values);
    }

    @Test
    void slicesOutsideTheColumnAreRefused() {
        var column = new Column.Ints(new int[] {1, 2, 3});
        assertThatThrownBy(() -> column.slice(2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> column.slice(1, 3).slice(0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void everyScalarKindGivesItsBoxedValues() {
        assertThat(new Column.Bools(new boolean[] {true, false}).value(0)).isEqualTo(true);
        assertThat(new Column.Ints(new int[] {-7}).value(0)).isEqualTo(-7);
        assertThat(new Column.Floats(new float[] {1.5f}).value(0)).isEqualTo(1.5f);
        assertThat(new Column.Doubles(new double[] {2.25}).value(0)).isEqualTo(2.25);
        var strings = new Column.Strings(Arrays.asList("a", null, "{\"k\":1}"));
        assertThat(strings.isNull(1)).isTrue();
        assertThat(strings.slice(1, 3).values()).containsExactly(null, "{\"k\":1}");
        var lists = new Column.Lists(new List<?>[] {List.of(1L, 2L), null});
        assertThat(lists.value(0)).isEqualTo(List.of(1L, 2L));
        assertThat(lists.isNull(1)).isTrue();
    }

    @Test
    void vectorViewsKeepTheirRowsAndOffsets() {
        var floats = new Column.FloatVectors(2, new float[] {0, 1, 2, 3, 4, 5});
        var view = floats.slice(1, 3);
        assertThat(view.offset()).isEqualTo(1);
        assertThat(view.array()).isSameAs(floats.array());
        assertThat(view.values()).containsExactly(2, 3, 4, 5);
        assertThat((float[]) view.value(1)).containsExactly(4, 5);
        var binary = new Column.BinaryVectors(16, new byte[] {1, 2, 3, 4, 5, 6});
        assertThat((byte[]) binary.slice(2, 3).value(0)).containsExactly(5, 6);
        assertThatThrownBy(() -> new Column.FloatVectors(4, new float[6]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Column.BinaryVectors(12, new byte[6]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void float16EncodingRoundsToNearestEvenAndDecodesExactly() {
        float[] exact = {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, Float.POSITIVE_INFINITY};
        var half = Column.HalfVectors.of(DataType.FLOAT16_VECTOR, exact.length, exact);
        for (int i = 0; i < exact.length; i++) {
            assertThat(half.get(0, i)).as("value %s", exact[i]).isEqualTo(exact[i]);
        }
        byte[] b = half.values();
        assertThat(b[4] & 0xff | (b[5] & 0xff) << 8).isEqualTo(0x3c00);   // 1.0 in float16, little-endian
        float[] rounded = {1.0009766f /* 1 + 2^-10: exact */, 1.00048828125f /* halfway: to even 1.0 */,
            1.00146484375f /* halfway: to even 1.001953125 */, 70000f /* overflow */, 1e-9f /* underflow */};
        var r = Column.HalfVectors.of(DataType.FLOAT16_VECTOR, rounded.length, rounded);
        assertThat(r.get(0, 0)).isEqualTo(1.0009766f);
        assertThat(r.get(0, 1)).isEqualTo(1.0f);
        assertThat(r.get(0, 2)).isEqualTo(1.001953125f);
        assertThat(r.get(0, 3)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(r.get(0, 4)).isEqualTo(0f);
        var nan = Column.HalfVectors.of(DataType.FLOAT16_VECTOR, 1, new float[] {Float.NaN});
        assertThat(nan.get(0, 0)).isNaN();
    }

    @Test
    void bfloat16KeepsTheTopHalfOfAFloatRoundedToNearestEven() {
        float[] values = {1f, -3.140625f, 1.00390625f /* halfway: to even 1.0 */, 1.01171875f /* to 1.015625 */};
        var v = Column.HalfVectors.of(DataType.BFLOAT16_VECTOR, 2, values);
        assertThat(v.rowCount()).isEqualTo(2);
        assertThat(v.get(0, 0)).isEqualTo(1f);
        assertThat(v.get(0, 1)).isEqualTo(-3.140625f);
        assertThat(v.get(1, 0)).isEqualTo(1f);
        assertThat(v.get(1, 1)).isEqualTo(1.015625f);
        assertThat(Column.HalfVectors.of(DataType.BFLOAT16_VECTOR, 1, new float[] {Float.NaN}).get(0, 0)).isNaN();
        assertThatThrownBy(() -> new Column.HalfVectors(DataType.FLOAT_VECTOR, 1, new byte[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sparseRowsAreCheckedAndSliced() {
        var row0 = new TreeMap<Long, Float>();
        row0.put(3L, 0.5f);
        row0.put(4_000_000_000L, 1.5f);
        var row2 = new TreeMap<Long, Float>();
        row2.put(7L, 2f);
        var sparse = Column.SparseVectors.of(List.of(row0, new TreeMap<>(), row2));
        assertThat(sparse.rowCount()).isEqualTo(3);
        assertThat(sparse.value(0)).isEqualTo(row0);
        var tail = sparse.slice(1, 3);
        assertThat(tail.size(0)).isZero();
        assertThat(tail.value(1)).isEqualTo(row2);
        assertThatThrownBy(() -> new Column.SparseVectors(new int[] {0, 2}, new long[] {5, 5}, new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new Column.SparseVectors(new int[] {0, 1}, new long[] {1L << 32}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchesRefuseColumnsOfDifferentLengths() {
        assertThatThrownBy(() -> new Batch(Position.start("s"), java.util.Map.of("a",
                new Column.Longs(new long[2]), "b", new Column.Floats(new float[3]))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
