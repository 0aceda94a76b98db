package io.milvus.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/** Finds the one plug-in of a kind that claims something (a URI, a name), through {@link ServiceLoader}. */
final class Plugins {
    private Plugins() {
    }

    /**
     * The plug-in of {@code type} visible from {@code loader} that {@code claims}; empty if none does.
     *
     * @param what what is claimed, for the error message
     * @throws MigrationException {@code INVALID_CONFIG} naming both plug-ins if two different ones claim it
     */
    static <F> Optional<F> find(Class<F> type, ClassLoader loader, Predicate<? super F> claims, String what) {
        List<F> found = new ArrayList<>();
        for (F plugin : ServiceLoader.load(type, loader)) {
            boolean twice = found.stream().anyMatch(f -> f.getClass().getName().equals(plugin.getClass().getName()));
            if (!twice && claims.test(plugin)) {   // one class seen through two class-path entries is one plug-in
                found.add(plugin);
            }
        }
        if (found.size() > 1) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "two " + type.getSimpleName() + " plug-ins claim "
                    + what + ": " + describe(found.get(0)) + " and " + describe(found.get(1))
                    + "; remove one from the class path");
        }
        return found.stream().findFirst();
    }

    private static String describe(Object plugin) {
        var source = plugin.getClass().getProtectionDomain().getCodeSource();
        return plugin.getClass().getName() + (source == null ? "" : " (" + source.getLocation() + ")");
    }

    /** The thread's context class loader, else the API's own. */
    static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Migration.class.getClassLoader();
    }
}
