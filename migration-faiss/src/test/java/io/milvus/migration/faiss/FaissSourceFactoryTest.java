package io.milvus.migration.faiss;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FaissSourceFactoryTest {

    private static SourceFactory faiss() {
        return ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("faiss")).findFirst().orElseThrow();
    }

    @Test
    void serviceLoaderFindsTheFactory() {
        assertThat(faiss()).isInstanceOf(FaissSourceFactory.class);
    }

    @Test
    void supportsFaissAndIndexFileUrisOnly() {
        SourceFactory f = faiss();
        assertThat(f.supports(URI.create("faiss:/data/a.index"))).isTrue();
        assertThat(f.supports(URI.create("faiss:/data/anything"))).isTrue();
        assertThat(f.supports(URI.create("file:/data/a.index"))).isTrue();
        assertThat(f.supports(URI.create("file:/data/a.faiss"))).isTrue();
        assertThat(f.supports(URI.create("file:/data/a.npy"))).isFalse();
        assertThat(f.supports(URI.create("http://host/a.index"))).isFalse();
        assertThat(f.supports(URI.create("s3://bucket/a.index"))).isFalse();
    }

    @Test
    void createsASourceOverTheFile() {
        Path file = FaissFixtures.index("ivfflat_ip").toAbsolutePath();
        for (URI uri : new URI[] {URI.create("faiss:" + file.toUri().getPath()), file.toUri()}) {
            try (Source source = faiss().create(uri)) {
                assertThat(source).isInstanceOf(FaissSource.class);
                assertThat(((FaissSource) source).indexType()).isEqualTo("IwFl");
                assertThat(source.describe()).isEqualTo("faiss:" + file);
                assertThat(source.collections().get(0).estimatedRows()).isEqualTo(2000);
                assertThat(source.collections().get(0).schema().name()).isEqualTo("ivfflat_ip");
            }
        }
    }
}
