package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Go tool's meta.mysqlUrl, and MySQL settings that fail before connecting. */
class GoMysqlDsnTest {
    @TempDir
    Path dir;

    @Test
    void goToolsExampleBecomesAJdbcUrl() {
        var d = GoMysqlDsn.parse("user:password@tcp(localhost:3306)/milvus?charset=utf8mb4&parseTime=True&loc=Local");
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:mariadb://localhost:3306/milvus");
        assertThat(d.user()).isEqualTo("user");
        assertThat(d.password()).isEqualTo("password");
        assertThat(d.toString()).doesNotContain("password");
    }

    @Test
    void passwordsMayHoldAtColonAndSlash() {
        var d = GoMysqlDsn.parse("me:p@ss:w/rd@tcp(10.0.0.5)/meta");
        assertThat(d.password()).isEqualTo("p@ss:w/rd");
        assertThat(d.user()).isEqualTo("me");
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:mariadb://10.0.0.5:3306/meta");
    }

    @Test
    void defaultsAndIpv6() {
        assertThat(GoMysqlDsn.parse("/milvus")).isEqualTo(new GoMysqlDsn("jdbc:mariadb://127.0.0.1:3306/milvus",
                null, null));
        assertThat(GoMysqlDsn.parse("root@tcp([::1]:3307)/m")).isEqualTo(new GoMysqlDsn(
                "jdbc:mariadb://[::1]:3307/m", "root", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"u:SECRET@tcp(h:1)", "u:SECRET@tcp(h:1)/", "u:SECRET@unix(/tmp/s)/db",
            "u:SECRET@tcp(h:x:1)/db", "u:SECRET@tcp(h:1/db"})
    void badDsnIsNamedWithoutThePassword(String dsn) {
        assertThatThrownBy(() -> Milvus1Source.builder().mysqlMetaDsn(dsn))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("meta.mysqlUrl").hasMessageNotContaining("SECRET");
    }

    @Test
    void mysqlSettingsErrors() {
        assertThatThrownBy(() -> Milvus1Source.builder().mysqlMeta("jdbc:mariadb://h/db", "u", "pw").build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("tablesDirectory");
        assertThatThrownBy(() -> Milvus1Source.builder().mysqlMeta("jdbc:postgresql://h/db?password=SECRET", "u",
                "pw").tablesDirectory(dir).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("jdbc:mariadb:")
                .hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> Milvus1Source.builder().mysqlMeta("jdbc:mariadb://h/db", "u", "pw")
                .sqliteMeta(dir.resolve("meta.sqlite")).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("not both");
        assertThat(JdbcCatalogReader.redactUrl("jdbc:mysql://u:SECRET@h:1/db?password=SECRET"))
                .isEqualTo("jdbc:mysql://***@h:1/db?...");
    }
}
