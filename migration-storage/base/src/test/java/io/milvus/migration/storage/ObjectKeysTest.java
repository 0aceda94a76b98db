package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.MigrationException;
import org.junit.jupiter.api.Test;

/** Object keys stay under their prefix (shared by the object-store modules). No server needed. */
class ObjectKeysTest {
    @Test
    void keysCannotClimbOutOfThePrefix() {
        assertThatThrownBy(() -> ObjectKeys.objectName("p/", "../x", "gs://b/p/"))
                .isInstanceOf(MigrationException.class);
        assertThat(ObjectKeys.objectName("p/", "a/b", "w")).isEqualTo("p/a/b");
        assertThat(ObjectKeys.normalizePrefix("/a/b")).isEqualTo("a/b/");
    }
}
