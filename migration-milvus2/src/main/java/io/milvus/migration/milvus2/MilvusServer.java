package io.milvus.migration.milvus2;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Milvus server takes, from the version it reports ({@code v2.3.5}, {@code v2.3.5-lite} for the PyPI
 * standalone build, {@code milvus_lite-3.2.2} for Milvus Lite), so that a collection it cannot hold is refused
 * before anything is created or written.
 */
record MilvusServer(String version, boolean lite, int major, int minor) {
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)");

    static MilvusServer of(String version) {
        String v = version == null ? "" : version.trim();
        if (v.startsWith("milvus_lite")) {
            return new MilvusServer(v, true, 2, 5);   // Milvus Lite 3.x speaks the 2.5 API
        }
        Matcher m = VERSION.matcher(v);
        if (!m.find()) {
            return new MilvusServer(v, false, 2, 5);   // unknown: assume a current server and let it answer
        }
        return new MilvusServer(v, false, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private boolean atLeast(int maj, int min) {
        return major > maj || major == maj && minor >= min;
    }

    /**
     * Checks that the server takes every type and feature of {@code schema}, and bulk import if {@code bulkImport}.
     *
     * @throws MigrationException {@code TARGET_REJECTED} naming the field (or collection) and the server version
     */
    void check(CollectionSchema schema, boolean bulkImport, String where) {
        if (bulkImport && lite) {
            throw rejected("collection " + schema.name() + ": Milvus Lite has no bulk import; insert the rows "
                    + "(bulkImport(false))", where);
        }
        long vectors = schema.fields().stream().filter(f -> f.type().isVector()).count();
        if (vectors > 1 && !atLeast(2, 4)) {
            throw rejected("collection " + schema.name() + " has " + vectors + " vector fields; this server takes one",
                    where);
        }
        for (FieldSchema f : schema.fields()) {
            String problem = null;
            DataType t = f.type();
            if ((t == DataType.SPARSE_FLOAT_VECTOR || t == DataType.BFLOAT16_VECTOR) && !atLeast(2, 4)) {
                problem = "is " + t + ", which this server does not take";
            } else if ((t == DataType.BINARY_VECTOR || t == DataType.FLOAT16_VECTOR
                    || t == DataType.BFLOAT16_VECTOR) && lite) {
                problem = "is " + t + ", which Milvus Lite does not take";
            } else if (t == DataType.FLOAT16_VECTOR && bulkImport && !atLeast(2, 4)) {
                // its JSON import answers "unsupport data type"; its NumPy and Parquet imports have no reader
                problem = "is " + t + ", which this server's bulk import does not read; insert the rows "
                        + "(bulkImport(false))";
            } else if ((f.nullable() || f.defaultValue().isPresent()) && !atLeast(2, 5)) {
                problem = "is nullable or has a default value, which this server does not take";
            } else if (f.clusteringKey() && !atLeast(2, 4)) {
                problem = "is a clustering key, which this server does not take";
            } else if (t == DataType.ARRAY && !atLeast(2, 3)) {
                problem = "is an ARRAY, which this server does not take";
            }
            if (problem != null) {
                throw rejected("field " + f.name() + " of collection " + schema.name() + " " + problem, where);
            }
        }
    }

    private MigrationException rejected(String problem, String where) {
        return new MigrationException(ErrorCode.TARGET_REJECTED, problem + " (" + where + ", server version "
                + version + ")");
    }

    /** How a client reaches a server: a token, else user and password, else no credentials. */
    static io.milvus.param.ConnectParam connectParam(String uri, String database, java.time.Duration timeout,
                                                    String token, String user, String password) {
        var b = io.milvus.param.ConnectParam.newBuilder().withUri(uri).withDatabaseName(database)
                .withConnectTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (token != null) {
            b.withToken(token);
        } else if (user != null) {
            b.withAuthorization(user, password == null ? "" : password);
        }
        return b.build();
    }
}
