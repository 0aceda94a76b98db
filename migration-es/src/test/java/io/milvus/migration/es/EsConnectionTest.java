package io.milvus.migration.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.MigrationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Connection settings: Cloud ids, credentials checks, and no secret in any text. */
class EsConnectionTest {
    @Test
    void aCloudIdNamesItsHttpsEndpoint() {
        String id = "prod:" + Base64.getEncoder().encodeToString("eu-west-1.aws.found.io:9243$abc123$kib"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(EsConnection.builder().cloudId(id).build().urls())
                .containsExactly("https://abc123.eu-west-1.aws.found.io:9243");
        assertThatThrownBy(() -> EsConnection.builder().cloudId("x:not-base64!").build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("cloudId");
    }

    @Test
    void secretsAppearNowhere() {
        var basic = EsConnection.builder().url("http://h:9200").basicAuth("elastic", "pa55-secret").build();
        assertThat(basic.toString()).contains("elastic").doesNotContain("pa55-secret");
        var key = EsConnection.builder().url("http://h:9200").apiKey("key-secret").build();
        assertThat(key.toString()).contains("api-key").doesNotContain("key-secret");
        var token = EsConnection.builder().url("http://h:9200").serviceToken("tok-secret").build();
        assertThat(token.toString()).doesNotContain("tok-secret");
        try (EsSource s = EsSource.builder().connection(basic).index("i").build()) {
            assertThat(s.toString()).doesNotContain("pa55-secret");
            assertThat(s.describe()).doesNotContain("pa55-secret");
        }
        // an unreachable server: the error names the host, never the password
        try (EsSource s = EsSource.builder().connection(EsConnection.builder().url("http://127.0.0.1:1")
                .basicAuth("u", "pa55-secret").build()).index("i").build()) {
            assertThatThrownBy(s::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("127.0.0.1").hasMessageNotContaining("pa55-secret");
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> EsConnection.builder().build()).hasMessageContaining("url or a cloudId");
        assertThatThrownBy(() -> EsConnection.builder().url("h").apiKey("a").serviceToken("b").build())
                .hasMessageContaining("one of");
        assertThatThrownBy(() -> EsConnection.builder().url("h").fingerprint("zz").build())
                .hasMessageContaining("SHA-256");
        assertThat(EsConnection.builder().url("h").fingerprint("AB:".repeat(31) + "AB").verifyTls(true).build()
                .urls()).containsExactly("h");
    }

    @Test
    void aUriNamesTheServerAndIndicesAndIsFoundByServiceLoader() {
        var factory = java.util.ServiceLoader.load(io.milvus.migration.spi.SourceFactory.class).stream()
                .map(java.util.ServiceLoader.Provider::get).filter(f -> f.name().equals("elasticsearch"))
                .findFirst().orElseThrow();
        var uri = java.net.URI.create("opensearch://127.0.0.1:9270/a,b?slices=2&tls=true");
        assertThat(factory.supports(uri)).isTrue();
        assertThat(factory.supports(java.net.URI.create("faiss:/x"))).isFalse();
        try (var source = factory.create(uri)) {
            assertThat(source.describe()).isEqualTo("elasticsearch:https://127.0.0.1:9270/a,b");
        }
        assertThatThrownBy(() -> factory.create(java.net.URI.create("elasticsearch://h:1/i?colour=red")))
                .hasMessageContaining("colour");
    }
}
