package io.milvus.migration.yaml;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.SourceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The source plug-ins a {@code migration.yaml} can name, found through the thread's context class loader. */
final class SourcePlugins {
    private SourcePlugins() {
    }

    private static List<ConfigurableSourceFactory<?>> all() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        var out = new ArrayList<ConfigurableSourceFactory<?>>();
        for (SourceFactory f : ServiceLoader.load(SourceFactory.class,
                loader != null ? loader : SourcePlugins.class.getClassLoader())) {
            if (f instanceof ConfigurableSourceFactory<?> c
                    && out.stream().noneMatch(o -> o.getClass().getName().equals(c.getClass().getName()))) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The plug-in of this name (case-insensitive).
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming both if two plug-ins have the name
     */
    static Optional<ConfigurableSourceFactory<?>> find(String name) {
        List<ConfigurableSourceFactory<?>> named = all().stream().filter(f -> f.name().equalsIgnoreCase(name))
                .toList();
        if (named.size() > 1) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "two source plug-ins are named " + name + ": "
                    + named.get(0).getClass().getName() + " and " + named.get(1).getClass().getName());
        }
        return named.stream().findFirst();
    }

    static List<String> names() {
        return all().stream().map(SourceFactory::name).sorted().toList();
    }
}
