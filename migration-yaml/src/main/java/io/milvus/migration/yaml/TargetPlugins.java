package io.milvus.migration.yaml;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableTargetFactory;
import io.milvus.migration.spi.TargetFactory;
import java.util.ArrayList;
import java.util.Optional;
import java.util.ServiceLoader;

/** The target plug-ins a {@code migration.yaml} can configure, found through the thread's context class loader. */
final class TargetPlugins {
    private TargetPlugins() {
    }

    /**
     * The plug-in of this name (case-insensitive).
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming both if two plug-ins have the name
     */
    static Optional<ConfigurableTargetFactory<?>> find(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        var named = new ArrayList<ConfigurableTargetFactory<?>>();
        for (TargetFactory f : ServiceLoader.load(TargetFactory.class,
                loader != null ? loader : TargetPlugins.class.getClassLoader())) {
            if (f instanceof ConfigurableTargetFactory<?> c && c.name().equalsIgnoreCase(name)
                    && named.stream().noneMatch(o -> o.getClass().getName().equals(c.getClass().getName()))) {
                named.add(c);
            }
        }
        if (named.size() > 1) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "two target plug-ins are named " + name + ": "
                    + named.get(0).getClass().getName() + " and " + named.get(1).getClass().getName());
        }
        return named.stream().findFirst();
    }

}
