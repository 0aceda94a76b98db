package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Milvus1SourceFactoryTest {
    @TempDir
    Path dir;

    @Test
    void foundByServiceLoaderAndCreatesSourcesFromUris() {
        Milvus1Fixture.standard(dir, "u_");
        SourceFactory factory = ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("milvus1")).findFirst().orElseThrow();
        assertThat(factory.supports(URI.create("milvus1:/x"))).isTrue();
        assertThat(factory.supports(URI.create("faiss:/x.index"))).isFalse();
        assertThat(factory.supports(URI.create("file:/x/meta.sqlite"))).isFalse();
        try (var s = factory.create(URI.create("milvus1:" + dir))) {
            assertThat(s.collections()).hasSize(4);
        }
        try (var s = factory.create(URI.create("milvus1:" + dir.resolve("db/meta.sqlite")))) {
            assertThat(s.collections()).extracting(c -> c.schema().name())
                    .containsExactly("u_flt", "u_ip", "u_bin", "u_tan");
        }
    }
}
