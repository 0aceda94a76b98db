package io.milvus.migration.spi;

/**
 * A {@link SourceFactory} that a {@code migration.yaml} can configure: the YAML section named after
 * {@link #name()} ({@code source.<name>}) is bound to an instance of {@link #settingsType()} — a plain class with
 * public fields or setters, or a record; an unknown key is an error naming it — and handed to {@link #create(Object)}.
 * This is how the command line and the REST server learn sources from the class path.
 *
 * @param <S> the settings type
 */
public interface ConfigurableSourceFactory<S> extends SourceFactory {
    /** The class the YAML section is bound to. */
    Class<S> settingsType();

    /**
     * Checks the settings without any I/O (no file, network or server is touched), so that a bad configuration
     * is refused before a job starts.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} naming the setting at fault (as
     *                                                {@code source.<name>.<key>})
     */
    void validate(S settings);

    /**
     * Creates the source; may read metadata.
     *
     * @throws io.milvus.migration.MigrationException if the settings name nothing readable
     */
    Source create(S settings);
}
