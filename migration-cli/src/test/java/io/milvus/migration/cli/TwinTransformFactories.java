package io.milvus.migration.cli;

import io.milvus.migration.Transforms;
import io.milvus.migration.spi.Transform;
import io.milvus.migration.spi.TransformFactory;

/** Two transform plug-ins that claim one name, {@code twin}: naming it in YAML is an error naming both. */
public final class TwinTransformFactories {
    private TwinTransformFactories() {
    }

    /** The settings of both: none. */
    public static final class Settings {
    }

    abstract static class Twin implements TransformFactory<Settings> {
        @Override
        public String name() {
            return "twin";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
        }

        @Override
        public Transform create(Settings s) {
            return Transforms.renameCollection("twin");
        }
    }

    /** One of the two. */
    public static final class First extends Twin {
    }

    /** The other. */
    public static final class Second extends Twin {
    }
}
