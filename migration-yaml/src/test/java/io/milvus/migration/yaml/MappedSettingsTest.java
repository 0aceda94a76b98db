package io.milvus.migration.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappedSettingsTest {
    /** A plug-in's settings, as Jackson binds them. */
    public static class Settings {
        public Integer dim;
        public String password;
        public Map<String, Object> remote;
        public List<Map<String, Object>> fields;
    }

    private static MappedSettings mapped() {
        return new MappedSettings("m.yaml", "source.faiss")
                .put("dim", 128, "target.create.collection.dim")
                .put("remote", Map.of("bucket", "b"), "source.remote")
                .put("fields", List.of(Map.of("name", "v")), "meta.fields")
                .origin("password", "source.es.password");
    }

    private static MigrationException plugin(String reason) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, reason);
    }

    @Test
    void aPluginsMessageNamesTheKeyTheUserWrote() {
        MappedSettings m = mapped();
        assertThat(m.translate(plugin("source.faiss.dim must be at least 1, found 0")).getMessage())
                .isEqualTo("[INVALID_CONFIG] m.yaml: key 'target.create.collection.dim' must be at least 1, found 0");
        assertThat(m.translate(plugin("source.faiss.remote.sk is missing")).reason())
                .isEqualTo("m.yaml: key 'source.remote.sk' is missing");
        assertThat(m.translate(plugin("source.faiss.fields[2].dims is missing")).reason())
                .isEqualTo("m.yaml: key 'meta.fields[2].dims' is missing");
        // declared without a value: a "missing" names where it would have been
        assertThat(m.translate(plugin("source.faiss.password needs a username")).reason())
                .isEqualTo("m.yaml: key 'source.es.password' needs a username");
    }

    @Test
    void otherMessagesAreKept() {
        MappedSettings m = mapped();
        MigrationException io = new MigrationException(ErrorCode.SOURCE_IO, "source.faiss.dim cannot be read");
        assertThat(m.translate(io)).isSameAs(io);
        MigrationException other = plugin("Faiss file /x.index does not exist");
        assertThat(m.translate(other)).isSameAs(other);
        assertThat(m.translate(plugin("source.faiss.tablesDir is missing")).reason())
                .isEqualTo("m.yaml: source.faiss.tablesDir is missing");   // no YAML key gave it
        assertThat(m.namesUnmapped(plugin("source.faiss.tablesDir is missing"))).isTrue();
        assertThat(m.namesUnmapped(plugin("source.faiss.dim must be positive"))).isFalse();
        assertThat(m.namesUnmapped(other)).isFalse();
    }

    @Test
    void bindingErrorsNameTheYamlKeyNeverTheValue() {
        assertThat(mapped().bind(Settings.class).dim).isEqualTo(128);
        assertThatThrownBy(() -> new MappedSettings("m.yaml", "source.faiss")
                .put("dim", "hunter2-secret", "target.create.collection.dim").bind(Settings.class))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("m.yaml: key 'target.create.collection.dim' has a value of the wrong kind")
                .hasMessageNotContaining("hunter2-secret");
        assertThatThrownBy(() -> new MappedSettings("m.yaml", "source.faiss")
                .put("colour", "red", "meta.colour").bind(Settings.class))
                .hasMessageContaining("key 'meta.colour' is not a setting of Settings");
    }
}
