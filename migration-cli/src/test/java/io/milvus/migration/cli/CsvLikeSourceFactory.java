package io.milvus.migration.cli;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.net.URI;
import java.util.List;

/** A third party's source plug-in as the YAML finds it: a name and typed settings, nothing wired in by hand. */
public class CsvLikeSourceFactory implements ConfigurableSourceFactory<CsvLikeSourceFactory.Settings> {
    /** The section {@code source.csvlike}. */
    public static class Settings {
        public String path;
        public int dimension;
        public String password;
    }

    @Override
    public String name() {
        return "csvlike";
    }

    @Override
    public boolean supports(URI uri) {
        return false;
    }

    @Override
    public Source create(URI uri) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public void validate(Settings s) {
        if (s.path == null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "key 'source.csvlike.path' is missing");
        }
        if (s.dimension <= 0) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "key 'source.csvlike.dimension' must be positive");
        }
    }

    @Override
    public Source create(Settings s) {
        var schema = CollectionSchema.builder(s.path.replaceAll("\\W", "_")).field(FieldSchema.int64Key("id"))
                .field(FieldSchema.floatVector("vector", s.dimension, MetricType.L2)).build();
        return new Source() {
            @Override
            public String describe() {
                return "csvlike " + s.path;
            }

            @Override
            public List<SourceCollection> collections() {
                return List.of(new SourceCollection(schema, 0));
            }

            @Override
            public List<Split> splits(SourceCollection collection) {
                return List.of();
            }

            @Override
            public SplitReader open(Split split) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
    }
}
