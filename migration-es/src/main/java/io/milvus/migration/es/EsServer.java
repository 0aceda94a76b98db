package io.milvus.migration.es;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;

/**
 * The distribution and version of the server read: which paging API it has.
 *
 * @param flavour Elasticsearch or OpenSearch
 * @param major   major version
 * @param minor   minor version
 */
record EsServer(Flavour flavour, int major, int minor) {
    enum Flavour { ELASTICSEARCH, OPENSEARCH }

    static EsServer parse(Flavour flavour, String version) {
        String[] p = version.split("[.-]");
        try {
            return new EsServer(flavour, Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0);
        } catch (NumberFormatException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "version '" + version + "' is not a server version");
        }
    }

    /** Point-in-time search: Elasticsearch 7.10+, OpenSearch 2.4+. */
    boolean hasPit() {
        return flavour == Flavour.OPENSEARCH ? major > 2 || major == 2 && minor >= 4 : major > 7 || major == 7 && minor >= 10;
    }

    /** The path that opens a point in time over {@code indices}. */
    String openPitPath(String indices) {
        return flavour == Flavour.OPENSEARCH ? "/" + indices + "/_search/point_in_time" : "/" + indices + "/_pit";
    }

    /**
     * The unique sort key of point-in-time pages when no key field is named: Elasticsearch's {@code _shard_doc};
     * OpenSearch has none, so its {@code _id} (unique, and the same in a reopened point in time).
     */
    String tiebreaker() {
        return flavour == Flavour.OPENSEARCH ? "_id" : "_shard_doc";
    }

    @Override
    public String toString() {
        return (flavour == Flavour.OPENSEARCH ? "OpenSearch " : "Elasticsearch ") + major + "." + minor;
    }
}
