package io.milvus.migration.milvus1;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The Go {@code milvus-migration} tool's {@code meta.mysqlUrl}, a Go MySQL driver DSN
 * ({@code user:password@tcp(host:port)/database?charset=utf8mb4&parseTime=True&loc=Local}), as a JDBC URL plus
 * user and password. Parsed the way the Go driver parses it: the database follows the last {@code /}, the user
 * info precedes the last {@code @} before it, and the password follows the first {@code :} of the user info (so
 * passwords may hold {@code @}, {@code :} and {@code /}). Only {@code tcp} addresses are supported; without an
 * address the Go default {@code 127.0.0.1:3306} applies. Parameters after {@code ?} are Go-driver settings and are
 * ignored. Messages never quote the user info.
 *
 * @param jdbcUrl  {@code jdbc:mariadb://host:port/database}
 * @param user     the user, or null if the DSN names none
 * @param password the password, or null if the DSN has none
 */
record GoMysqlDsn(String jdbcUrl, String user, String password) {
    /** Parses a DSN; INVALID_CONFIG naming the problem (never the user info) if it is not one. */
    static GoMysqlDsn parse(String dsn) {
        requireNonNull(dsn, "dsn is null");
        int slash = dsn.lastIndexOf('/');
        if (slash < 0) {
            throw bad("it has no '/database'");
        }
        String head = dsn.substring(0, slash);
        String tail = dsn.substring(slash + 1);
        int q = tail.indexOf('?');
        String database = URLDecoder.decode(q < 0 ? tail : tail.substring(0, q), StandardCharsets.UTF_8);
        if (database.isEmpty()) {
            throw bad("it names no database after '/'");
        }
        String user = null;
        String password = null;
        int at = head.lastIndexOf('@');
        String address = head;
        if (at >= 0) {
            String userInfo = head.substring(0, at);
            address = head.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            password = colon < 0 ? null : userInfo.substring(colon + 1);
        }
        String net = address;
        String hostPort = "";
        int open = address.indexOf('(');
        if (open >= 0) {
            if (!address.endsWith(")")) {
                throw bad("the address after '@' must look like tcp(host:port)");
            }
            net = address.substring(0, open);
            hostPort = address.substring(open + 1, address.length() - 1);
        }
        if (net.isEmpty()) {
            net = "tcp";
        }
        if (!net.equals("tcp")) {
            throw bad("network '" + net + "' is not supported, only tcp(host:port); for a socket give a JDBC URL");
        }
        if (hostPort.isEmpty()) {
            hostPort = "127.0.0.1:3306";
        } else if (!hostPort.matches("(\\[[0-9A-Fa-f:.]+\\]|[^:\\[\\]/]+)(:\\d+)?")) {
            throw bad("address '" + hostPort + "' is not host:port");
        } else if (!hostPort.matches(".*:\\d+")) {
            hostPort = hostPort + ":3306";
        }
        return new GoMysqlDsn("jdbc:mariadb://" + hostPort + "/" + database, user == null || user.isEmpty() ? null
                : user, password);
    }

    private static MigrationException bad(String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x MySQL DSN (the Go tool's"
                + " meta.mysqlUrl, user:password@tcp(host:port)/database) is not valid: " + problem);
    }

    @Override
    public String toString() {
        return "GoMysqlDsn[" + jdbcUrl + (user == null ? "" : " as " + user) + "]";
    }
}
