package io.milvus.migration.pinecone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PineconeSourceFactoryTest {
    private static final String SECRET = "pcsk_secret_0123456789";

    @Test
    void isFoundByServiceLoaderAndTakesTheKeyFromTheEnvironment() {
        SourceFactory f = ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("pinecone")).findFirst().orElseThrow();
        assertThat(f.supports(URI.create("pinecone://my-index"))).isTrue();
        assertThat(f.supports(URI.create("chroma://h/t"))).isFalse();

        var withKey = new PineconeSourceFactory(Map.of("PINECONE_API_KEY", SECRET)::get);
        var source = withKey.create(URI.create("pinecone://my-index"));
        assertThat(source.describe()).isEqualTo("pinecone:https://api.pinecone.io/my-index")
                .doesNotContain(SECRET);
        assertThat(source.toString()).doesNotContain(SECRET);
        source.close();   // nothing was opened: no I/O before collections()

        var noKey = new PineconeSourceFactory(k -> null);
        assertThatThrownBy(() -> noKey.create(URI.create("pinecone://my-index")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("PINECONE_API_KEY");
        assertThatThrownBy(() -> withKey.create(URI.create("pinecone://key:" + SECRET + "@my-index")))
                .isInstanceOf(MigrationException.class).hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> withKey.create(URI.create("pinecone://My_Index"))).isInstanceOf(MigrationException.class);
        assertThatThrownBy(() -> withKey.create(URI.create("pinecone://idx/ns"))).isInstanceOf(MigrationException.class);
    }

    @Test
    void yamlSettingsAreValidatedWithoutIoAndNameTheKeyAtFault() {
        var f = new PineconeSourceFactory(k -> null);
        var s = new PineconeSettings();
        s.index = "docs";
        s.apiKey = SECRET;
        s.controllerUrl = "http://127.0.0.1:1";   // nothing listens there: validate and create do no I/O
        s.useTls = false;
        s.namespaces = List.of("", "books");
        s.metadataFields.put("genre", "string");
        s.metadataFields.put("year", "number");
        s.metadataFields.put("tags", "string_list");
        s.sparseValues = "include";
        f.validate(s);
        var source = f.create(s);
        assertThat(source.describe()).isEqualTo("pinecone:http://127.0.0.1:1/docs");
        source.close();
        assertThat(s.toString()).doesNotContain(SECRET).contains("docs");

        s.metadataFields.put("v", "vector");
        assertThatThrownBy(() -> f.validate(s)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("source.pinecone.metadataFields.v").hasMessageNotContaining(SECRET);
        s.metadataFields.remove("v");
        s.sparseValues = "sometimes";
        assertThatThrownBy(() -> f.validate(s)).hasMessageContaining("source.pinecone.sparseValues");
        s.sparseValues = "auto";
        s.pageSize = 0;
        assertThatThrownBy(() -> f.validate(s)).hasMessageContaining("source.pinecone.pageSize");
        s.pageSize = 100;
        s.controllerUrl = "ftp://h";
        assertThatThrownBy(() -> f.validate(s)).hasMessageContaining("source.pinecone.controllerUrl");
        s.controllerUrl = "http://user:" + SECRET + "@h:5080";
        assertThatThrownBy(() -> f.validate(s)).hasMessageContaining("source.pinecone.controllerUrl")
                .hasMessageNotContaining(SECRET);
        s.controllerUrl = "http://localhost:5080";
        s.index = "Bad_Name";
        assertThatThrownBy(() -> f.validate(s)).hasMessageContaining("source.pinecone.index");

        var e = new PineconeSettings();
        e.index = "docs";
        e.apiKeyEnv = "NO_SUCH_VARIABLE_FOR_PINECONE_TEST";
        f.validate(e);   // the key is looked up only when the source is made
        assertThatThrownBy(() -> f.create(e)).hasMessageContaining("source.pinecone.apiKeyEnv");
        var fromEnv = new PineconeSourceFactory(Map.of("MY_KEY", SECRET)::get);
        e.apiKeyEnv = "MY_KEY";
        fromEnv.create(e).close();
    }

    @Test
    void cursorsRoundTripAsText() {
        var c = PineconeCursor.page(100, 42, "eyJza2lwX3Bhc3QiOiJhOmIifQ==");
        assertThat(PineconeCursor.parse(c.text())).isEqualTo(c);
        assertThat(PineconeCursor.parse("page:7:0:")).isEqualTo(PineconeCursor.start(7));
        assertThat(PineconeCursor.parse("end")).isEqualTo(PineconeCursor.END);
        assertThat(PineconeCursor.parse("page:5:1:a:b:c").token()).isEqualTo("a:b:c");
        assertThatThrownBy(() -> PineconeCursor.parse("42")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PineconeCursor.parse("page:5:5:t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PineconeCursor.parse("page:0:0:t")).isInstanceOf(IllegalArgumentException.class);
    }
}
