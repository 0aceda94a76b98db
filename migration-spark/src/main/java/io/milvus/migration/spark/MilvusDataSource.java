package io.milvus.migration.spark;

import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * {@code df.write.format("milvus").mode("append")...save()}: loads a DataFrame into a Milvus collection through the
 * engine's bulk import, as a migration whose source is the DataFrame, one split per partition. See
 * {@link MilvusBatchWrite} for the options.
 */
public final class MilvusDataSource implements TableProvider, DataSourceRegister {
    /** Called by Spark's {@link java.util.ServiceLoader}. */
    public MilvusDataSource() {
    }

    @Override
    public String shortName() {
        return "milvus";
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        throw new UnsupportedOperationException("format(\"milvus\") is for writing: df.write.format(\"milvus\")");
    }

    @Override
    public boolean supportsExternalMetadata() {
        return true; // the schema is the DataFrame's
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new MilvusTable(schema, properties.getOrDefault("collection", "milvus"));
    }

    /** The collection a DataFrame is written to. */
    static final class MilvusTable implements SupportsWrite {
        private final StructType schema;
        private final String name;

        MilvusTable(StructType schema, String name) {
            this.schema = schema;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public StructType schema() {
            return schema;
        }

        @Override
        public Set<TableCapability> capabilities() {
            return Set.of(TableCapability.BATCH_WRITE);
        }

        @Override
        public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
            StructType df = info.schema();
            CaseInsensitiveStringMap options = info.options();
            return new WriteBuilder() {
                @Override
                public Write build() {
                    return new Write() {
                        @Override
                        public BatchWrite toBatch() {
                            return new MilvusBatchWrite(df, options.asCaseSensitiveMap());
                        }
                    };
                }
            };
        }
    }
}
