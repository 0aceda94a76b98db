package io.milvus.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Transform;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformsTest {
    private static final CollectionSchema SCHEMA = CollectionSchema.builder("c")
            .field(FieldSchema.int64Key("id"))
            .field(FieldSchema.builder("title", DataType.VARCHAR).maxLength(100).build())
            .field(FieldSchema.builder("score", DataType.VARCHAR).nullable(true).build())
            .field(FieldSchema.floatVector("v", 2, MetricType.IP)).build();

    private static Batch batch() {
        var columns = new LinkedHashMap<String, Column>();
        columns.put("id", new Column.Longs(new long[] {1, 2, 3}));
        columns.put("title", new Column.Strings(List.of("héllo", "ab", "€€€")));
        columns.put("score", new Column.Strings(Arrays.asList("1.5", null, "-2")));
        columns.put("v", new Column.FloatVectors(2, new float[] {0.5f, 1, 2, 3, -1, 1.0009766f}));
        return new Batch(Position.start("s"), columns);
    }

    @Test
    void floatVectorsBecomeFloat16AndBack() {
        Transform half = Transforms.convert("v", DataType.FLOAT16_VECTOR);
        CollectionSchema schema = half.apply(SCHEMA);
        FieldSchema v = schema.field("v").orElseThrow();
        assertThat(v.type()).isEqualTo(DataType.FLOAT16_VECTOR);
        assertThat(v.dimension()).isEqualTo(2);
        assertThat(v.metric()).isEqualTo(MetricType.IP);
        Batch b = half.apply(batch());
        var h = (Column.HalfVectors) b.column("v");
        assertThat(h.get(2, 1)).isEqualTo(1.0009766f);
        Batch back = Transforms.convert("v", DataType.FLOAT_VECTOR).apply(b);
        assertThat(((Column.FloatVectors) back.column("v")).values()).containsExactly(0.5f, 1, 2, 3, -1, 1.0009766f);
    }

    @Test
    void textBecomesNumbersAndNumbersText() {
        Transform toDouble = Transforms.convert("score", DataType.DOUBLE);
        assertThat(toDouble.apply(SCHEMA).field("score").orElseThrow().nullable()).isTrue();
        Column scores = toDouble.apply(batch()).column("score");
        assertThat(scores.value(0)).isEqualTo(1.5);
        assertThat(scores.isNull(1)).isTrue();
        assertThat(scores.value(2)).isEqualTo(-2.0);
        Column ids = Transforms.convert("id", DataType.VARCHAR).apply(batch()).column("id");
        assertThat(ids.value(2)).isEqualTo("3");
        assertThat(Transforms.convert("id", DataType.VARCHAR).apply(SCHEMA).primaryKey().type())
                .isEqualTo(DataType.VARCHAR);
        Column json = Transforms.convert("title", DataType.JSON).apply(batch()).column("title");
        assertThat(json.value(0)).isEqualTo("\"héllo\"");
        assertThatThrownBy(() -> Transforms.convert("title", DataType.INT64).apply(batch()))
                .isInstanceOf(MigrationException.class).hasMessageContaining("field title, row 0")
                .hasMessageContaining("'héllo' to INT64");
        assertThatThrownBy(() -> Transforms.convert("score", DataType.INT32).apply(batch()))
                .hasMessageContaining("row 0");
    }

    @Test
    void impossibleConversionsAreRefusedBeforeAnyRow() {
        assertThatThrownBy(() -> Transforms.convert("v", DataType.INT64).apply(SCHEMA))
                .isInstanceOf(MigrationException.class).hasMessageContaining("from FLOAT_VECTOR to INT64");
        assertThatThrownBy(() -> Transforms.convert("nope", DataType.INT64).apply(SCHEMA))
                .hasMessageContaining("has no such field");
        assertThatThrownBy(() -> Transforms.convert("id", DataType.DOUBLE).apply(SCHEMA))
                .hasMessageContaining("primary key");
    }

    @Test
    void varcharsAreCutAtCharacterBoundaries() {
        Transform cut = Transforms.maxLength("title", 4, true);
        assertThat(cut.apply(SCHEMA).field("title").orElseThrow().maxLength()).isEqualTo(4);
        var titles = (Column.Strings) cut.apply(batch()).column("title");
        assertThat(titles.values()).containsExactly("hél", "ab", "€");   // h + é(2) + l = 4 bytes; € is 3
        Transform strict = Transforms.maxLength("title", 4, false);
        assertThat(strict.apply(batch()).column("title").value(0)).isEqualTo("héllo");   // the batch check fails it
        assertThatThrownBy(() -> Transforms.maxLength("id", 4, true).apply(SCHEMA))
                .hasMessageContaining("no VARCHAR field id");
    }

    @Test
    void rowsAreFilteredAndFieldsComputed() {
        Batch kept = Transforms.filterRows(row -> (Long) row.get("id") != 2).apply(batch());
        assertThat(kept.rowCount()).isEqualTo(2);
        assertThat(((Column.Longs) kept.column("id")).values()).containsExactly(1, 3);
        assertThat(((Column.FloatVectors) kept.column("v")).values()).containsExactly(0.5f, 1, -1, 1.0009766f);
        assertThat(kept.column("score").isNull(1)).isFalse();
        FieldSchema len = FieldSchema.builder("len", DataType.INT32).build();
        Transform compute = Transforms.computeField(len, row -> ((String) row.get("title")).length());
        assertThat(compute.apply(SCHEMA).fields()).last().isEqualTo(len);
        assertThat(compute.apply(batch()).column("len").value(2)).isEqualTo(3);
        assertThatThrownBy(() -> Transforms.computeField(len, row -> "x").apply(batch()))
                .isInstanceOf(MigrationException.class).hasMessageContaining("field len (INT32), row 0");
    }
}
