package example.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Transform;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class UppercaseTransformFactoryTest {
    private static final CollectionSchema SCHEMA = CollectionSchema.builder("c").field(FieldSchema.int64Key("id"))
            .field(FieldSchema.floatVector("v", 2, io.milvus.migration.spi.MetricType.L2)).field(FieldSchema.builder("title", DataType.VARCHAR).maxLength(16).build()).build();

    private static Transform transform(String field) {
        var s = new UppercaseTransformFactory.Settings();
        s.field = field;
        var f = new UppercaseTransformFactory();
        f.validate(s);
        return f.create(s);
    }

    @Test
    void upperCasesTheFieldAndLeavesTheRest() {
        Transform t = transform("title");
        assertEquals(SCHEMA, t.apply(SCHEMA));
        var columns = new LinkedHashMap<String, Column>();
        columns.put("id", new Column.Longs(new long[] {1, 2, 3}));
        columns.put("v", new Column.FloatVectors(2, new float[6]));
        columns.put("title", new Column.Strings(Arrays.asList("abc", null, "İstanbul straße")));
        Batch out = t.apply(new Batch(new Position("s", 3), columns));
        assertEquals(Arrays.asList("ABC", null, "İSTANBUL STRASSE"), ((Column.Strings) out.column("title")).values());
        assertEquals(List.of(1L, 2L, 3L), java.util.Arrays.stream(((Column.Longs) out.column("id")).values()).boxed().toList());
    }

    @Test
    void theTransformIsSerializable() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(transform("title"));
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals("uppercase(title)", in.readObject().toString());
        }
    }

    @Test
    void aMissingOrNonVarcharFieldIsRefused() {
        assertThrows(MigrationException.class, () -> transform("id").apply(SCHEMA));
        assertThrows(MigrationException.class, () -> transform(" "));
    }
}
