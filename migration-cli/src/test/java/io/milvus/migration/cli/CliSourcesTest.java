package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.SourceFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The command line reads every source this project has: each is on its class path, found by name for YAML. */
class CliSourcesTest {
    @Test
    void everySourceModuleIsFoundByItsYamlName() {
        var names = ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f instanceof ConfigurableSourceFactory<?>)
                .map(f -> ((ConfigurableSourceFactory<?>) f).name()).toList();
        assertThat(names).contains("chroma", "pgvector", "weaviate", "qdrant", "pinecone");
    }
}
