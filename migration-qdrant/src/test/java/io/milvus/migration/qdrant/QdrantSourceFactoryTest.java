package io.milvus.migration.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** URIs and the {@code source.qdrant} YAML section, checked without any I/O. */
class QdrantSourceFactoryTest {
    private final QdrantSourceFactory f = new QdrantSourceFactory();

    @Test
    void foundByServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(s -> s.name().equals("qdrant")).toList()).hasSize(1).first()
                .isInstanceOf(QdrantSourceFactory.class);
        assertThat(f.supports(URI.create("qdrant://h:6334/c"))).isTrue();
        assertThat(f.supports(URI.create("qdrants://h/c"))).isTrue();
        assertThat(f.supports(URI.create("chroma://h/c"))).isFalse();
    }

    @Test
    void uriNamesHostPortAndCollection() {
        try (var s = f.create(URI.create("qdrant://127.0.0.1:7000/docs"))) {
            assertThat(s.describe()).isEqualTo("qdrant:http://127.0.0.1:7000");
        }
        try (var s = f.create(URI.create("qdrants://q.example"))) {
            assertThat(s.describe()).isEqualTo("qdrant:https://q.example:6334");
        }
        for (String bad : List.of("qdrant:///c", "qdrant://key@h/c", "qdrant://h/a/b", "qdrant://h/c?apiKey=x")) {
            assertThatThrownBy(() -> f.create(URI.create(bad))).as(bad).isInstanceOf(MigrationException.class)
                    .hasMessageNotContaining("key@").hasMessageNotContaining("apiKey=x")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        }
    }

    @Test
    void settingsAreValidatedNamingTheKey() {
        f.validate(new QdrantSettings());
        assertThat(new QdrantSettings().nullableFields).as("the old tool's targets have no nullable fields").isFalse();
        assertBad(s -> s.host = " ", "source.qdrant.host");
        assertBad(s -> s.host = "http://h:6334", "source.qdrant.host");
        assertBad(s -> s.port = 0, "source.qdrant.port");
        assertBad(s -> s.port = 70_000, "source.qdrant.port");
        assertBad(s -> s.pageSize = 0, "source.qdrant.pageSize");
        assertBad(s -> s.partPoints = -1, "source.qdrant.partPoints");
        assertBad(s -> s.timeoutSeconds = 0, "source.qdrant.timeoutSeconds");
        assertBad(s -> s.collections = java.util.Arrays.asList("a", ""), "source.qdrant.collections[1]");
        assertBad(s -> {
            s.apiKey = "k";
            s.apiKeyEnv = "E";
        }, "source.qdrant.apiKey");
        var s = new QdrantSettings();
        s.apiKeyEnv = "QDRANT_TEST_KEY_THAT_IS_NOT_SET";
        f.validate(s);   // the variable is read when the source is made, not when checked
        assertThatThrownBy(() -> f.create(s)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("source.qdrant.apiKeyEnv");
    }

    @Test
    void theApiKeyIsNeverShown() {
        var s = new QdrantSettings();
        s.apiKey = "very-secret-key";
        f.validate(s);
        assertThat(s.toString()).doesNotContain("very-secret-key").contains("apiKey=***");
        try (var src = f.create(s)) {
            assertThat(src.toString()).doesNotContain("very-secret-key");
            assertThat(src.describe()).doesNotContain("very-secret-key");
        }
        s.port = -1;
        assertThatThrownBy(() -> f.validate(s)).hasMessageNotContaining("very-secret-key");
    }

    private void assertBad(java.util.function.Consumer<QdrantSettings> change, String key) {
        var s = new QdrantSettings();
        change.accept(s);
        assertThatThrownBy(() -> f.validate(s)).isInstanceOf(MigrationException.class).hasMessageContaining(key)
                .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG);
    }
}
