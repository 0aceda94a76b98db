package io.milvus.migration.yaml;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.TransformFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The transform plug-ins a {@code migration.yaml} can name, found through the thread's context class loader (the
 * loader the migration's builder takes by default, so both see the same plug-ins).
 */
final class TransformPlugins {
    private TransformPlugins() {
    }

    private static List<TransformFactory<?>> all() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        var out = new ArrayList<TransformFactory<?>>();
        for (TransformFactory<?> f : ServiceLoader.load(TransformFactory.class,
                loader != null ? loader : TransformPlugins.class.getClassLoader())) {
            // one class seen through two class-path entries is one plug-in
            if (out.stream().noneMatch(o -> o.getClass().getName().equals(f.getClass().getName()))) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The factory of this name (case-insensitive).
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming both classes if two factories have the name
     */
    static Optional<TransformFactory<?>> find(String name) {
        List<TransformFactory<?>> named = all().stream().filter(f -> f.name().equalsIgnoreCase(name)).toList();
        if (named.size() > 1) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "two transform plug-ins are named " + name + ": "
                    + named.get(0).getClass().getName() + " and " + named.get(1).getClass().getName()
                    + "; remove one from the class path");
        }
        return named.stream().findFirst();
    }

    static List<String> names() {
        return all().stream().map(TransformFactory::name).sorted().toList();
    }
}
