package io.milvus.migration.chroma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ChromaSourceFactoryTest {
    @Test
    void isFoundByServiceLoaderAndReadsTenantDatabaseAndCollectionFromTheUri() {
        SourceFactory f = ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("chroma")).findFirst().orElseThrow();
        assertThat(f.supports(URI.create("chroma://h:1/t/d/c"))).isTrue();
        assertThat(f.supports(URI.create("chromas://h/t"))).isTrue();
        assertThat(f.supports(URI.create("pgvector://h/t"))).isFalse();
        assertThat(f.create(URI.create("chroma://h:8001/t1/d1/c1")).describe()).isEqualTo("chroma:http://h:8001/t1/d1");
        assertThat(f.create(URI.create("chromas://h")).describe())
                .isEqualTo("chroma:https://h:8000/default_tenant/default_database");
        assertThatThrownBy(() -> f.create(URI.create("chroma://me:secret@h:1/t")))
                .isInstanceOf(MigrationException.class).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> f.create(URI.create("chroma://h/a/b/c/d"))).isInstanceOf(MigrationException.class);
    }

    @Test
    void theTokenAppearsInNoDescription() {
        var source = ChromaSource.builder().url(URI.create("http://h:1")).token("tok-123").build();
        assertThat(source.describe()).doesNotContain("tok-123");
        assertThat(source.toString()).doesNotContain("tok-123");
        assertThat(new ChromaClient(URI.create("http://h:1"), "x-chroma-token", "tok-123",
                java.time.Duration.ofSeconds(1)).toString()).doesNotContain("tok-123");
    }

    @Test
    void yamlSettingsAreValidatedWithoutIoAndNameTheKeyAtFault() {
        var f = new ChromaSourceFactory();
        var s = new ChromaSettings();
        s.url = "http://127.0.0.1:1";
        s.collections = java.util.List.of("docs");
        s.metadataFields.put("year", "int32");
        f.validate(s);   // nothing listens on port 1: no I/O happens
        assertThat(f.create(s).describe()).isEqualTo("chroma:http://127.0.0.1:1/default_tenant/default_database");
        s.metadataFields.put("v", "float_vector");
        assertThatThrownBy(() -> f.validate(s)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("source.chroma.metadataFields.v");
        var t = new ChromaSettings();
        t.metadata = "sometimes";
        assertThatThrownBy(() -> f.validate(t)).hasMessageContaining("source.chroma.metadata");
        var u = new ChromaSettings();
        u.url = "ftp://h";
        assertThatThrownBy(() -> f.validate(u)).hasMessageContaining("source.chroma.url");
        var v = new ChromaSettings();
        v.tokenEnv = "NO_SUCH_VARIABLE_FOR_CHROMA_TEST";
        f.validate(v);
        assertThatThrownBy(() -> f.create(v)).hasMessageContaining("source.chroma.tokenEnv");
    }
}
