package io.milvus.migration.yaml;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The plug-ins of one kind that a {@code migration.yaml} names (sources, targets, transforms), found through the
 * thread's context class loader: the loader the migration's builder takes by default, so both see the same ones.
 *
 * @param <F> the plug-in type
 */
final class NamedPlugins<F> {
    private final String kind;
    private final List<F> all;
    private final Function<F, String> name;

    private NamedPlugins(String kind, List<F> all, Function<F, String> name) {
        this.kind = kind;
        this.all = all;
        this.name = name;
    }

    /**
     * The {@code service} plug-ins on the class path that are {@code type}s, each class once (one class seen through
     * two class-path entries is one plug-in).
     *
     * @param kind what they are, for messages: {@code source}
     */
    static <S, F> NamedPlugins<F> of(String kind, Class<S> service, Function<? super S, ? extends F> type,
                                     Function<F, String> name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        var out = new ArrayList<F>();
        for (S s : ServiceLoader.load(service, loader != null ? loader : NamedPlugins.class.getClassLoader())) {
            F f = type.apply(s);
            if (f != null && out.stream().noneMatch(o -> o.getClass().getName().equals(f.getClass().getName()))) {
                out.add(f);
            }
        }
        return new NamedPlugins<>(kind, out, name);
    }

    /**
     * The plug-in of this name (case-insensitive).
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming both classes if two plug-ins have the name
     */
    Optional<F> find(String wanted) {
        List<F> named = all.stream().filter(f -> name.apply(f).equalsIgnoreCase(wanted)).toList();
        if (named.size() > 1) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "two " + kind + " plug-ins are named " + wanted
                    + ": " + named.get(0).getClass().getName() + " and " + named.get(1).getClass().getName()
                    + "; remove one from the class path");
        }
        return named.stream().findFirst();
    }

    /** The names, sorted, for messages. */
    List<String> names() {
        return all.stream().map(name).sorted().toList();
    }
}
