package io.milvus.migration.spi;

/**
 * A {@link TargetFactory} that a {@code migration.yaml} can configure, as {@link ConfigurableSourceFactory} does for
 * sources: the target's description is bound to an instance of {@link #settingsType()} (public fields or setters;
 * an unknown key is an error naming it), checked by {@link #validate} and handed to {@link #create(Object)}.
 * Secrets in the settings never appear in {@code toString()} or errors.
 *
 * @param <S> the settings type
 */
public interface ConfigurableTargetFactory<S> extends TargetFactory {
    /** The class the description is bound to. */
    Class<S> settingsType();

    /**
     * Checks the settings without any I/O.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} naming the setting at fault (as
     *                                                {@code target.<name>.<key>})
     */
    void validate(S settings);

    /**
     * Creates the target (as {@link #validate} checks first); does not connect yet.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} as {@link #validate}
     */
    Target create(S settings);
}
