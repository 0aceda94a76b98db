package io.milvus.migration.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnOfTest {

    private static FieldSchema f(DataType type) {
        var b = FieldSchema.builder("f", type);
        if (type.hasDimension()) {
            b.dimension(type == DataType.BINARY_VECTOR ? 16 : 2);
        }
        if (type == DataType.ARRAY) {
            b.elementType(DataType.INT64).maxCapacity(4);
        }
        return b.build();
    }

    @Test
    void valuesAsSourcesHaveThemBecomeColumnsOfTheFieldsKind() {
        Column ints = Column.of(f(DataType.INT16), Arrays.asList(3, null, 7L, 2.0));
        assertThat(ints).isInstanceOf(Column.Ints.class);
        assertThat(ints.value(0)).isEqualTo(3);
        assertThat(ints.isNull(1)).isTrue();
        assertThat(ints.value(3)).isEqualTo(2);
        assertThat(Column.of(f(DataType.INT64), List.of(1L << 40)).value(0)).isEqualTo(1L << 40);
        assertThat(Column.of(f(DataType.DOUBLE), List.of(1, 2.5f)).value(1)).isEqualTo(2.5);
        assertThat(Column.of(f(DataType.JSON), List.of("{\"a\":1}")).value(0)).isEqualTo("{\"a\":1}");
        assertThat(Column.of(f(DataType.ARRAY), List.of(List.of(1L, 2L))).value(0)).isEqualTo(List.of(1L, 2L));
        var vectors = (Column.FloatVectors) Column.of(f(DataType.FLOAT_VECTOR),
                List.of(new float[] {1, 2}, List.of(3, 4.5)));
        assertThat(vectors.values()).containsExactly(1, 2, 3, 4.5f);
        var halves = (Column.HalfVectors) Column.of(f(DataType.FLOAT16_VECTOR), List.of(List.of(0.5, -2)));
        assertThat(halves.get(0, 0)).isEqualTo(0.5f);
        assertThat(halves.get(0, 1)).isEqualTo(-2f);
        var bin = (Column.BinaryVectors) Column.of(f(DataType.BINARY_VECTOR),
                List.of(new byte[] {1, 2}, ByteBuffer.wrap(new byte[] {3, 4})));
        assertThat(bin.values()).containsExactly(1, 2, 3, 4);
        var sparse = (Column.SparseVectors) Column.of(f(DataType.SPARSE_FLOAT_VECTOR),
                List.of(Map.of(9, 0.5, 2L, 1)));
        assertThat(sparse.index(0, 0)).isEqualTo(2);
        assertThat(sparse.get(0, 1)).isEqualTo(0.5f);
    }

    @Test
    void aValueThatDoesNotFitIsNamedByFieldAndRow() {
        assertThatThrownBy(() -> Column.of(f(DataType.INT32), List.of(1, 1.5)))
                .hasMessageContaining("field f (INT32), row 1: Double 1.5 is not an integer");
        assertThatThrownBy(() -> Column.of(f(DataType.INT32), List.of(1L << 40)))
                .hasMessageContaining("32-bit");
        assertThatThrownBy(() -> Column.of(f(DataType.FLOAT_VECTOR), List.of(new float[3])))
                .hasMessageContaining("row 0: float[3] is not 2 floats");
        assertThatThrownBy(() -> Column.of(f(DataType.FLOAT_VECTOR), Arrays.asList(new float[2], null)))
                .hasMessageContaining("row 1: null is not a vector");
        assertThatThrownBy(() -> Column.of(f(DataType.VARCHAR), List.of(5))).hasMessageContaining("not a String");
        assertThatThrownBy(() -> Column.of(f(DataType.SPARSE_FLOAT_VECTOR), List.of(Map.of(-1, 1))))
                .hasMessageContaining("field f");
    }
}
