package io.milvus.migration.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.SourceFactory;
import io.milvus.migration.yaml.MigrationYaml;
import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class WeaviateSourceFactoryTest {
    @Test
    void isFoundByServiceLoaderAndReadsHostPortAndClassFromTheUri() {
        SourceFactory f = ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("weaviate")).findFirst().orElseThrow();
        assertThat(f.supports(URI.create("weaviate://h:1/Article"))).isTrue();
        assertThat(f.supports(URI.create("weaviates://h"))).isTrue();
        assertThat(f.supports(URI.create("chroma://h/t"))).isFalse();
        assertThat(f.create(URI.create("weaviate://h:8081/Article")).describe()).isEqualTo("weaviate:http://h:8081");
        assertThat(f.create(URI.create("weaviates://h")).describe()).isEqualTo("weaviate:https://h:8080");
        assertThatThrownBy(() -> f.create(URI.create("weaviate://me:secret@h:1/A")))
                .isInstanceOf(MigrationException.class).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> f.create(URI.create("weaviate://h/A/B"))).isInstanceOf(MigrationException.class)
                .hasMessageContaining("more than a class");
    }

    @Test
    void theApiKeyAppearsInNoDescription() {
        var b = WeaviateSource.builder().url(URI.create("http://h:1")).apiKey("key-123");
        assertThat(b.toString()).doesNotContain("key-123");
        var source = b.build();
        assertThat(source.describe()).doesNotContain("key-123");
        assertThat(source.toString()).doesNotContain("key-123");
        assertThat(new WeaviateClient(URI.create("http://h:1"), "key-123", java.time.Duration.ofSeconds(1))
                .toString()).doesNotContain("key-123").contains("***");
        var s = new WeaviateSettings();
        s.apiKey = "key-123";
        assertThat(s.toString()).doesNotContain("key-123").contains("apiKey=***");
    }

    @Test
    void yamlSettingsAreValidatedWithoutIoAndNameTheKeyAtFault() {
        var f = new WeaviateSourceFactory();
        var s = new WeaviateSettings();
        s.url = "http://127.0.0.1:1";
        s.classes = List.of("Article");
        s.vectors = List.of("title");
        s.dates = "text";
        f.validate(s);   // nothing listens on port 1: no I/O happens
        assertThat(f.create(s).describe()).isEqualTo("weaviate:http://127.0.0.1:1");
        s.collections = List.of("Other");
        assertThatThrownBy(() -> f.validate(s)).hasMessageContaining("source.weaviate.classes");
        var t = new WeaviateSettings();
        t.dates = "julian";
        assertThatThrownBy(() -> f.validate(t)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("source.weaviate.dates");
        var u = new WeaviateSettings();
        u.url = "ftp://h";
        assertThatThrownBy(() -> f.validate(u)).hasMessageContaining("source.weaviate.url");
        var p = new WeaviateSettings();
        p.pageSize = 0;
        assertThatThrownBy(() -> f.validate(p)).hasMessageContaining("source.weaviate.pageSize");
        var c = new WeaviateSettings();
        c.arrayCapacity = 5000;
        assertThatThrownBy(() -> f.validate(c)).hasMessageContaining("source.weaviate.arrayCapacity");
        var k = new WeaviateSettings();
        k.apiKeyEnv = "NO_SUCH_VARIABLE_FOR_WEAVIATE_TEST";
        f.validate(k);
        assertThatThrownBy(() -> f.create(k)).hasMessageContaining("source.weaviate.apiKeyEnv");
        var both = new WeaviateSettings();
        both.apiKey = "key-456";
        both.apiKeyEnv = "X";
        assertThatThrownBy(() -> f.validate(both)).hasMessageContaining("source.weaviate.apiKey")
                .hasMessageNotContaining("key-456");
    }

    @Test
    void aMigrationYamlNamesTheSourceByWorkModeAndItsSection() {
        String yaml = """
                dumper:
                  worker:
                    workMode: weaviate
                source:
                  weaviate:
                    url: http://127.0.0.1:1
                    classes: [Article]
                    apiKey: key-789
                    vectors: [title]
                    pageSize: 200
                    nullableFields: false
                target:
                  mode: local
                  local:
                    outputDir: /tmp/weaviate-yaml-check
                  milvus2x:
                    endpoint: 127.0.0.1:1
                """;
        MigrationYaml.check(yaml, "migration.yaml", Migration.Verb.RUN);
        assertThatThrownBy(() -> MigrationYaml.check(yaml.replace("pageSize: 200", "pageSize: -1"),
                "migration.yaml", Migration.Verb.RUN)).hasMessageContaining("source.weaviate.pageSize")
                .hasMessageNotContaining("key-789");
        assertThatThrownBy(() -> MigrationYaml.check(yaml.replace("pageSize: 200", "pageSise: 200"),
                "migration.yaml", Migration.Verb.RUN)).hasMessageContaining("pageSise");
    }
}
