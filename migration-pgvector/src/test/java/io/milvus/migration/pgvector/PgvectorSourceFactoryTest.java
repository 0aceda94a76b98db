package io.milvus.migration.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PgvectorSourceFactoryTest {
    private static SourceFactory factory() {
        return ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("pgvector")).findFirst().orElseThrow();
    }

    @Test
    void isFoundByServiceLoaderAndReadsBothUriForms() {
        SourceFactory f = factory();
        assertThat(f.supports(URI.create("pgvector://h:5/db/items"))).isTrue();
        assertThat(f.supports(URI.create("jdbc:postgresql://h:5/db?table=items"))).isTrue();
        assertThat(f.supports(URI.create("jdbc:mariadb://h:5/db"))).isFalse();
        assertThat(f.create(URI.create("pgvector://h:5/db/public.items")).describe())
                .isEqualTo("pgvector:jdbc:postgresql://h:5/db table public.items");
        assertThat(f.create(URI.create("jdbc:postgresql://h/db?table=items&ssl=false")).describe())
                .isEqualTo("pgvector:jdbc:postgresql://h/db?ssl=false table items");
        assertThatThrownBy(() -> f.create(URI.create("pgvector://h/db"))).isInstanceOf(MigrationException.class);
    }

    @Test
    void aPasswordInAUriIsRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> factory().create(URI.create("jdbc:postgresql://h/db?table=t&password=s3cret")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("PGPASSWORD")
                .hasMessageNotContaining("s3cret");
        var b = PgvectorSource.builder().url("jdbc:postgresql://h/db").password("s3cret").table("t");
        assertThat(b.toString()).doesNotContain("s3cret");
        assertThat(b.build().describe()).doesNotContain("s3cret");
    }

    @Test
    void vectorTextFormsAreParsedAsPgvectorPrintsThem() {
        float[] out = new float[4];
        assertThat(PgVectors.parseDense("[1,-2.5,3e-3]", out, 1, 3)).isEqualTo(3);
        assertThat(out).containsExactly(0, 1, -2.5f, 3e-3f);
        assertThat(PgVectors.parseSparse("{1:0.5,10:2}/10")).isEqualTo(new TreeMap<>(Map.of(0L, 0.5f, 9L, 2f)));
        assertThat(PgVectors.parseSparse("{}/5")).isEmpty();
        byte[] bits = new byte[2];
        PgVectors.packBits("1000000000000011", bits, 0, 16);
        assertThat(bits).containsExactly((byte) 0x80, (byte) 0x03);
        assertThatThrownBy(() -> PgVectors.parseDense("1,2", out, 0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PgVectors.packBits("10", bits, 0, 16)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void yamlSettingsAreValidatedWithoutIoAndNameTheKeyAtFault() {
        var f = new PgvectorSourceFactory();
        var s = new PgvectorSettings();
        s.url = "jdbc:postgresql://127.0.0.1:1/db";   // nothing listens there: no I/O happens
        s.table = "items";
        s.numeric = "varchar";
        f.validate(s);
        assertThat(f.create(s).describe()).isEqualTo("pgvector:jdbc:postgresql://127.0.0.1:1/db table items");
        s.temporal = "weekly";
        assertThatThrownBy(() -> f.validate(s)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("source.pgvector.temporal");
        var q = new PgvectorSettings();
        q.url = s.url;
        q.query = "SELECT 1";
        assertThatThrownBy(() -> f.validate(q)).hasMessageContaining("source.pgvector.query");
        var p = new PgvectorSettings();
        p.url = "jdbc:postgresql://h/db?password=s3cret";
        p.table = "t";
        assertThatThrownBy(() -> f.validate(p)).hasMessageContaining("source.pgvector.url")
                .hasMessageNotContaining("s3cret");
    }
}
