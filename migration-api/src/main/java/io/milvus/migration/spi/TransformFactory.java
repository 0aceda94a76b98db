package io.milvus.migration.spi;

/**
 * Makes a {@link Transform} from its settings in a {@code migration.yaml}; found with
 * {@link java.util.ServiceLoader} by {@link #name()}. A YAML entry {@code transforms: [{type: <name>, ...}]} is
 * bound to an instance of {@link #settingsType()} (the keys other than {@code type}; an unknown key is an error
 * naming it) and handed to {@link #create(Object)}.
 *
 * @param <S> the settings type: a plain class with public fields or setters, or a record
 */
public interface TransformFactory<S> {
    /** A short unique name, such as {@code rename-fields}. */
    String name();

    /** The class a YAML entry is bound to. */
    Class<S> settingsType();

    /**
     * Creates the transform, checking the settings without I/O.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} naming the setting at fault
     */
    Transform create(S settings);
}
