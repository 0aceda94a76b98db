package io.milvus.migration.spi;

/**
 * Makes a {@link Transform} from settings a {@code migration.yaml} gives it by name; found with
 * {@link java.util.ServiceLoader} on the migration's class loader, so a user's transform in their own jar is named in
 * YAML like the built-in ones. An entry of the YAML's ordered {@code transforms:} list, {@code {name: <name>, ...}},
 * is bound to an instance of {@link #settingsType()} (every key but {@code name}; an unknown key or a value of the
 * wrong kind fails naming {@code transforms[i].<key>}), checked with {@link #validate(Object)}, then handed to
 * {@link #create(Object)}. Two factories of one name on the class path are an error naming both classes.
 *
 * <p>Called from one thread, while the configuration is read; the transforms it creates follow the
 * {@link Transform} contract (called from several threads at once, deterministic).
 *
 * @param <S> the settings type: a plain class with public fields or setters and a no-argument constructor, or a
 *            record; fields a YAML entry leaves out keep their defaults
 */
public interface TransformFactory<S> {
    /** The name YAML entries use, such as {@code renameFields}; matched without regard to case. */
    String name();

    /** The class a YAML entry is bound to. */
    Class<S> settingsType();

    /**
     * Checks the settings without any I/O, so that a bad configuration is refused before a job starts (and by the
     * REST server's check of a submitted config). What only a schema can tell (a field the collection lacks) is
     * checked by the transform's {@link Transform#apply(CollectionSchema)} when the migration starts.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} naming the setting at fault
     */
    void validate(S settings);

    /**
     * Creates the transform from settings {@link #validate(Object)} accepted; does no I/O.
     *
     * @return the transform, never null
     */
    Transform create(S settings);
}
