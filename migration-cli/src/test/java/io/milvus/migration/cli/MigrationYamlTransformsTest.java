package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Transform;
import io.milvus.migration.yaml.MigrationYaml;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The {@code transforms:} list of a migration.yaml: factories found by name, entries bound to their settings. */
class MigrationYamlTransformsTest {
    /** A plug-in source's config (no file is read) with this {@code transforms:} list. */
    private static String config(String transforms) {
        return """
                dumper:
                  worker:
                    workMode: csvlike
                source:
                  csvlike:
                    path: /data/vectors.csv
                    dimension: 4
                target:
                  mode: local
                  local:
                    outputDir: /tmp/out
                  milvus2x:
                    endpoint: 127.0.0.1:19530
                transforms:
                %s
                """.formatted(transforms.indent(2).stripTrailing());
    }

    private static List<Transform> transforms(String list) {
        try (MigrationYaml yaml = MigrationYaml.parse(config(list), "t.yaml", Migration.Verb.RUN)) {
            return yaml.migration(ProgressListener.NONE).transforms();
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String list) {
        return assertThatThrownBy(() -> MigrationYaml.check(config(list), "t.yaml", Migration.Verb.RUN))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }

    /** id, vector (dim 4), lang VARCHAR, meta JSON, score FLOAT. */
    private static final CollectionSchema SCHEMA = CollectionSchema.builder("docs")
            .field(FieldSchema.int64Key("id"))
            .field(FieldSchema.floatVector("vector", 4, MetricType.L2))
            .field(FieldSchema.builder("lang", DataType.VARCHAR).maxLength(8).build())
            .field(FieldSchema.builder("meta", DataType.JSON).build())
            .field(FieldSchema.builder("score", DataType.FLOAT).build())
            .build();

    private static Batch batch() {
        var columns = new LinkedHashMap<String, Column>();
        columns.put("id", new Column.Longs(new long[] {1, 2, 3, 4}));
        columns.put("vector", new Column.FloatVectors(4, new float[16]));
        columns.put("lang", new Column.Strings(new String[] {"en", "de", "fr", "en"}));
        columns.put("meta", new Column.Strings(new String[] {"{\"author\":{\"name\":\"Ann\"},\"tags\":[\"a\"]}",
                "{\"author\":{\"name\":\"Bo\"}}", "{}", "{\"author\":{\"name\":\"Cy\"},\"tags\":[\"c\",\"d\"]}"}));
        columns.put("score", new Column.Floats(new float[] {0.5f, 1.5f, 2.5f, 3.5f}));
        return new Batch(new Position("s0", 4), columns);
    }

    private static CollectionSchema schemaAfter(List<Transform> ts, CollectionSchema schema) {
        for (Transform t : ts) {
            schema = t.apply(schema);
        }
        return schema;
    }

    private static Batch batchAfter(List<Transform> ts, Batch batch) {
        for (Transform t : ts) {
            batch = t.apply(batch);
        }
        return batch;
    }

    @Test
    void transformsApplyInTheOrderGiven() {
        List<Transform> ts = transforms("""
                - {name: renameFields, fields: {vector: embedding}}
                - name: selectFields
                  fields: [id, embedding, lang]
                - {name: computeField, field: origin, type: VARCHAR, maxLength: 16, template: "{lang}-{id}"}
                """);
        assertThat(ts).hasSize(3);
        CollectionSchema after = schemaAfter(ts, SCHEMA);
        assertThat(after.fields()).extracting(FieldSchema::name).containsExactly("id", "embedding", "lang", "origin");
        Batch out = batchAfter(ts, batch());
        assertThat(out.columns().keySet()).containsExactly("id", "embedding", "lang", "origin");
        assertThat(((Column.Strings) out.column("origin")).get(1)).isEqualTo("de-2");

        // the same two entries the other way round: the selection no longer finds 'embedding'
        List<Transform> reversed = transforms("""
                - {name: selectFields, fields: [id, embedding, lang]}
                - {name: renameFields, fields: {vector: embedding}}
                """);
        assertThatThrownBy(() -> schemaAfter(reversed, SCHEMA)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("cannot select field embedding");
    }

    @Test
    void theBuiltInsConvertFilterExtractAndCompute() {
        List<Transform> ts = transforms("""
                - {name: convert, field: vector, to: float16_vector}
                - {name: maxLength, field: lang, maxLength: 2, truncate: true}
                - {name: filterRows, field: lang, notIn: [fr]}
                - {name: filterRows, field: score, min: 1, max: 3.5}
                - {name: extractJson, from: meta, path: author.name, field: author, type: VARCHAR, maxLength: 8}
                - {name: extractJson, from: meta, path: tags.1, field: tag2, type: VARCHAR, maxLength: 8,
                   ifMissing: none}
                - {name: computeField, field: version, type: INT32, constant: 7}
                - {name: computeField, field: lang2, type: VARCHAR, maxLength: 8, copyOf: lang}
                - {name: renameCollection, to: docs_v2}
                """);
        CollectionSchema after = schemaAfter(ts, SCHEMA);
        assertThat(after.name()).isEqualTo("docs_v2");
        assertThat(after.field("vector").orElseThrow().type()).isEqualTo(DataType.FLOAT16_VECTOR);
        assertThat(after.field("lang").orElseThrow().maxLength()).isEqualTo(2);
        assertThat(after.field("author").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
        assertThat(after.field("version").orElseThrow().type()).isEqualTo(DataType.INT32);

        Batch out = batchAfter(ts, batch());
        assertThat(out.column("vector")).isInstanceOf(Column.HalfVectors.class);
        // row 1 (score 0.5) is below min, row 3 (fr) is filtered out: ids 2 and 4 remain
        assertThat(((Column.Longs) out.column("id")).values()).containsExactly(2, 4);
        assertThat(values(out.column("author"))).containsExactly("Bo", "Cy");
        assertThat(values(out.column("tag2"))).containsExactly("none", "d");
        assertThat(values(out.column("version"))).containsExactly(7, 7);
        assertThat(values(out.column("lang2"))).containsExactly("de", "en");
    }

    @Test
    void theBuiltInsAreSerializableForSparkExecutors() throws Exception {
        List<Transform> ts = transforms("""
                - {name: filterRows, field: lang, in: [en, de, 1, true], notIn: [x]}
                - {name: filterRows, field: score, min: 1}
                - {name: extractJson, from: meta, path: author.name, field: author, type: VARCHAR, maxLength: 8,
                   ifMissing: none}
                - {name: computeField, field: origin, type: VARCHAR, maxLength: 16, template: "{lang}-{id}"}
                - {name: renameFields, fields: {vector: embedding}}
                """);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.ArrayList<>(ts));
        }
        List<?> back;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (List<?>) in.readObject();
        }
        @SuppressWarnings("unchecked")
        List<Transform> copies = (List<Transform>) back;
        assertThat(schemaAfter(copies, SCHEMA)).isEqualTo(schemaAfter(ts, SCHEMA));
        Batch out = batchAfter(copies, batch());
        assertThat(values(out.column("id"))).containsExactly(2L, 4L);
        assertThat(values(out.column("origin"))).containsExactly("de-2", "en-4");
    }

    private static List<Object> values(Column c) {
        return IntStream.range(0, c.rowCount()).mapToObj(c::value).toList();
    }

    @Test
    void aMissingJsonValueOfANonNullableFieldFailsNamingTheRow() {
        List<Transform> ts = transforms("""
                - {name: extractJson, from: meta, path: author.name, field: author, type: VARCHAR, maxLength: 8}
                """);
        schemaAfter(ts, SCHEMA);
        assertThatThrownBy(() -> batchAfter(ts, batch())).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT))
                .hasMessageContaining("row 2").hasMessageContaining("split s0").hasMessageContaining("meta.author.name");
    }

    @Test
    void anUnknownKeyIsNamedWithItsEntry() {
        assertInvalid("""
                - {name: selectFields, fields: [id, vector]}
                - {name: renameFields, fields: {a: b}, bogus: 1}
                """).hasMessageContaining("t.yaml: key 'transforms[1].bogus' is not a known setting");
        assertInvalid("- {name: maxLength, field: lang, maxLength: [1, 2]}")
                .hasMessageContaining("key 'transforms[0].maxLength' has a value of the wrong kind");
    }

    @Test
    void anUnknownNameIsNamedWithTheKnownOnes() {
        assertInvalid("- {name: nosuch, field: x}")
                .hasMessageContaining("key 'transforms[0].name' names no transform: 'nosuch' is none of [")
                .hasMessageContaining("computeField").hasMessageContaining("extractJson")
                .hasMessageContaining("filterRows").hasMessageContaining("selectFields");
        assertInvalid("- {field: x}").hasMessageContaining("key 'transforms[0].name' is missing");
        assertInvalid("- selectFields").hasMessageContaining("key 'transforms' entry 1 must be a mapping");
    }

    @Test
    void aNameIsMatchedWithoutRegardToCase() {
        assertThat(transforms("- {name: SELECTFIELDS, fields: [id, vector]}")).hasSize(1);
    }

    @Test
    void settingsAreValidatedBeforeAnyJobStarts() {
        assertInvalid("- {name: maxLength, field: lang, maxLength: 0}")
                .hasMessageContaining("t.yaml: transforms[0]: transform maxLength: setting 'maxLength' must be 1");
        assertInvalid("- {name: convert, field: vector, to: float17}")
                .hasMessageContaining("setting 'to' must be one of");
        assertInvalid("- {name: computeField, field: v, type: INT32}")
                .hasMessageContaining("give exactly one, found 0");
        assertInvalid("- {name: computeField, field: v, type: VARCHAR, constant: x}")
                .hasMessageContaining("setting 'maxLength' is missing");
        assertInvalid("- {name: filterRows, field: lang}").hasMessageContaining("needs a condition");
    }

    @Test
    void twoFactoriesOfOneNameAreAnErrorNamingBoth() {
        assertInvalid("- {name: twin}").hasMessageContaining("two transform plug-ins are named twin: "
                + TwinTransformFactories.First.class.getName() + " and " + TwinTransformFactories.Second.class.getName());
    }

    @Test
    void withoutAListThereAreNoTransforms() {
        try (MigrationYaml yaml = MigrationYaml.parse(config("").replace("transforms:", ""), "t.yaml",
                Migration.Verb.RUN)) {
            assertThat(yaml.migration(ProgressListener.NONE).transforms()).isEmpty();
        }
    }
}
