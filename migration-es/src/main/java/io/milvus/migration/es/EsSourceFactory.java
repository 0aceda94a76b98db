package io.milvus.migration.es;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code elasticsearch://host:port/index[,index...][?tls=true&slices=4&merge=true]} and
 * {@code opensearch://...}: an Elasticsearch or OpenSearch source without credentials (use {@link EsSource#builder()}
 * or the YAML for those).
 */
public final class EsSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public boolean supports(URI uri) {
        String s = uri.getScheme();
        return s != null && (s.equals("elasticsearch") || s.equals("opensearch") || s.equals("es"));
    }

    @Override
    public Source create(URI uri) {
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "an Elasticsearch URI is "
                    + "elasticsearch://host:port/index: " + uri.getScheme() + "://" + uri.getHost() + uri.getPath());
        }
        boolean tls = false;
        var b = EsSource.builder();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                String v = p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "";
                switch (p[0]) {
                    case "tls" -> tls = Boolean.parseBoolean(v);
                    case "slices" -> b.slices(Integer.parseInt(v));
                    case "merge" -> b.merge(Boolean.parseBoolean(v));
                    case "pageSize" -> b.pageSize(Integer.parseInt(v));
                    default -> throw new MigrationException(ErrorCode.INVALID_CONFIG, "unknown Elasticsearch URI "
                            + "parameter " + p[0] + " (tls, slices, merge, pageSize)");
                }
            }
        }
        String url = (tls ? "https://" : "http://") + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 9200);
        for (String index : uri.getPath().substring(1).split(",")) {
            b.index(index);
        }
        return b.connection(EsConnection.builder().url(url).build()).build();
    }
}
