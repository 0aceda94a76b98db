package io.milvus.migration.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
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
    void supportsFaissIndexFileAndStoredIndexFileUris() {
        SourceFactory f = faiss();
        assertThat(f.supports(URI.create("faiss:/data/a.index"))).isTrue();
        assertThat(f.supports(URI.create("faiss:/data/anything"))).isTrue();
        assertThat(f.supports(URI.create("file:/data/a.index"))).isTrue();
        assertThat(f.supports(URI.create("file:/data/a.faiss"))).isTrue();
        assertThat(f.supports(URI.create("file:/data/a.npy"))).isFalse();
        assertThat(f.supports(URI.create("http://host/a.index"))).isFalse();
        // schemes of the StorageFactories on the class path: migration-storage-s3's (test scope) and the test double's
        assertThat(f.supports(URI.create("s3://bucket/dir/a.index"))).isTrue();
        assertThat(f.supports(URI.create("fxtest://bucket/data/a.faiss"))).isTrue();
        assertThat(f.supports(URI.create("fxtest://bucket/data/a.npy"))).isFalse();
        assertThat(f.supports(URI.create("nostore://bucket/a.index"))).isFalse();
    }

    @Test
    void readsAStoredFileThroughTheStorageOfItsDirectory() {
        Path dir = FaissFixtures.index("ivfflat_ip").toAbsolutePath().getParent();
        URI uri = URI.create("fxtest://bucket" + dir.toUri().getRawPath() + "ivfflat_ip.index");
        CountingStorageFactory.CREATED.clear();
        try (Source source = faiss().create(uri)) {
            assertThat(((FaissSource) source).indexType()).isEqualTo("IwFl");
            assertThat(source.describe()).isEqualTo("faiss:fxtest://bucket" + dir + "/ivfflat_ip.index");
            assertThat(source.collections().get(0).schema().name()).isEqualTo("ivfflat_ip");
            assertThat(source.collections().get(0).estimatedRows()).isEqualTo(2000);
            assertThat(CountingStorageFactory.CREATED).singleElement()
                    .satisfies(s -> assertThat(s.describe()).isEqualTo("fxtest://bucket" + dir))
                    .satisfies(s -> assertThat(s.reads()).isPositive());
        }
        assertThat(CountingStorageFactory.CREATED.get(0).closed()).as("the source closes the storage it created")
                .isTrue();
    }

    @Test
    void aStoredFileThatFailsToOpenClosesItsStorage() {
        CountingStorageFactory.CREATED.clear();
        var e = catchThrowableOfType(MigrationException.class, () -> faiss().create(
                URI.create("fxtest://bucket/no/such/dir/a.index")));
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO);
        assertThat(e.getMessage()).contains("fxtest://bucket/no/such/dir/a.index");
        assertThat(CountingStorageFactory.CREATED).singleElement().satisfies(s -> assertThat(s.closed()).isTrue());
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
