package io.milvus.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoadingTest {

    /** A storage plug-in for {@code mem:} URIs. */
    public static class MemFactory implements StorageFactory {
        @Override
        public boolean supports(URI uri) {
            return uri.getScheme().equals("mem") || uri.getScheme().equals("dup");
        }

        @Override
        public Storage create(URI uri) {
            return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                    (proxy, method, args) -> method.getName().equals("describe") ? "mem storage " + uri : null);
        }
    }

    /** Another plug-in that claims {@code dup:} URIs too. */
    public static class OtherFactory extends MemFactory {
        @Override
        public boolean supports(URI uri) {
            return uri.getScheme().equals("dup");
        }
    }

    /** A folder that only a child class loader sees, naming plug-ins in its service file. */
    private static URLClassLoader pluginFolder(Path dir, Class<?>... factories) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        var names = new StringBuilder();
        for (Class<?> f : factories) {
            names.append(f.getName()).append('\n');
        }
        Files.writeString(services.resolve(StorageFactory.class.getName()), names);
        return new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, PluginLoadingTest.class.getClassLoader());
    }

    @Test
    void pluginsInAChildClassLoaderAreFoundThroughTheGivenLoader(@TempDir Path dir) throws Exception {
        URI uri = URI.create("mem:/stage");
        assertThatThrownBy(() -> Migration.builder().staging(uri)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("no storage on the class path serves mem:/stage");
        try (var loader = pluginFolder(dir, MemFactory.class)) {
            Migration m = Migration.builder().classLoader(loader).staging(uri).build();
            assertThat(m.staging()).map(Storage::describe).contains("mem storage mem:/stage");
            assertThat(m.classLoader()).isSameAs(loader);
        }
    }

    @Test
    void theThreadsContextLoaderIsTheDefault(@TempDir Path dir) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (var loader = pluginFolder(dir, MemFactory.class)) {
            thread.setContextClassLoader(loader);
            assertThat(Migration.builder().staging(URI.create("mem:/x")).build().staging()).isPresent();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void twoPluginsClaimingOneUriIsAnErrorNamingBoth(@TempDir Path dir) throws Exception {
        try (var loader = pluginFolder(dir, MemFactory.class, OtherFactory.class)) {
            var builder = Migration.builder().classLoader(loader);
            assertThat(builder.staging(URI.create("mem:/only-one")).build().staging()).isPresent();
            assertThatThrownBy(() -> builder.staging(URI.create("dup://user:secret@host/p")))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining(MemFactory.class.getName())
                    .hasMessageContaining(OtherFactory.class.getName())
                    .hasMessageNotContaining("secret");
            assertThat(((MigrationException) catchThrown(() -> builder.staging(URI.create("dup:/p")))).code())
                    .isEqualTo(ErrorCode.INVALID_CONFIG);
        }
    }

    private static Throwable catchThrown(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("nothing thrown");
    }
}
