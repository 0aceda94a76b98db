package io.milvus.migration.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages through one slice: point in time + {@code search_after} (the cursor is the last hit's sort values, as JSON
 * {@code {"after":[...]}}), or scroll (the cursor is the count of hits consumed, {@code {"hits":n}}; continuing
 * re-reads the slice up to there). A point in time that has expired or was closed is reopened and the slice goes on
 * after the same sort values. Used by one thread at a time.
 */
final class EsSplitReader implements SplitReader {
    private static final Logger LOG = LoggerFactory.getLogger(EsSplitReader.class);

    private final EsSource source;
    private final EsLayout layout;
    private final EsSplit split;
    private final boolean pit;
    private final EsRows rows;
    private String pitId;
    private boolean ownPit;
    private JsonNode after;
    private String scrollId;
    private long hitsConsumed;
    private long skipHits;
    private long rowsRead;
    private boolean done;

    EsSplitReader(EsSource source, EsLayout layout, EsSplit split, Position from, boolean pit) {
        this.source = source;
        this.layout = layout;
        this.split = split;
        this.pit = pit;
        this.rows = new EsRows(source, layout);
        this.pitId = split.pitId();
        this.rowsRead = from.rowsRead();
        if (!from.cursor().isEmpty() && !from.cursor().equals("0")) {
            JsonNode c;
            try {
                c = EsHttp.JSON.readTree(from.cursor());
            } catch (IOException e) {
                throw badCursor(from);
            }
            if (pit && c.path("after").isArray()) {
                after = c.path("after");
            } else if (!pit && c.path("hits").canConvertToLong()) {
                skipHits = c.path("hits").asLong();
            } else {
                throw badCursor(from);
            }
        }
    }

    private MigrationException badCursor(Position from) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "position of " + split + " has cursor '"
                + from.cursor() + "', not one this source wrote for " + (pit ? "point-in-time" : "scroll") + " reads");
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        while (!done) {
            int size = Math.max(1, Math.min(maxRows, source.settings.pageSize));
            JsonNode hits = pit ? pitPage(size) : scrollPage(size);
            if (hits.isEmpty()) {
                done = true;
                break;
            }
            var page = new ArrayList<JsonNode>();
            hits.forEach(page::add);
            if (pit) {
                after = page.get(page.size() - 1).path("sort");
            } else {
                hitsConsumed += page.size();
            }
            var columns = rows.columns(page);
            rowsRead += columns.rows();
            String cursor = pit ? "{\"after\":" + after + "}" : "{\"hits\":" + hitsConsumed + "}";
            // a page whose documents were all skipped is a batch without rows: it moves the position on
            return Optional.of(new Batch(new Position(split.id(), rowsRead, cursor), columns.columns(),
                    columns.skipped()));
        }
        return Optional.empty();
    }

    private ObjectNode body(int size) {
        ObjectNode b = EsHttp.JSON.createObjectNode();
        b.put("size", size);
        if (split.slices() > 1) {
            b.putObject("slice").put("id", split.slice()).put("max", split.slices());
        }
        if (source.settings.query != null) {
            b.set("query", source.settings.query);
        }
        var s = source.settings;
        if (!s.includes.isEmpty() || !s.excludes.isEmpty()) {
            ObjectNode src = b.putObject("_source");
            ArrayNode inc = src.putArray("includes");
            s.includes.forEach(inc::add);
            ArrayNode exc = src.putArray("excludes");
            s.excludes.forEach(exc::add);
        }
        ArrayNode docvalues = null;
        for (EsField f : layout.fields()) {
            if (f.epochDate()) {
                if (docvalues == null) {
                    docvalues = b.putArray("docvalue_fields");
                }
                docvalues.addObject().put("field", f.name()).put("format", "epoch_millis");
            } else if (f.fromFields()) {
                // not in _source: its doc values (the fields option reads _source; doc values hold vectors too)
                if (docvalues == null) {
                    docvalues = b.putArray("docvalue_fields");
                }
                docvalues.add(f.name());
            }
        }
        return b;
    }

    private JsonNode pitPage(int size) {
        if (pitId.isEmpty()) {
            pitId = source.openPit(layout);
            ownPit = true;
        }
        for (int attempt = 0; ; attempt++) {
            ObjectNode b = body(size);
            b.put("track_total_hits", false);
            b.putObject("pit").put("id", pitId).put("keep_alive", source.keepAlive());
            String key = layout.sortKey().isEmpty() ? source.server().tiebreaker() : layout.sortKey();
            b.putArray("sort").addObject().put(key, "asc");
            if (after != null) {
                b.set("search_after", after);
            }
            try {
                JsonNode r = source.http().post("/_search", Map.of(), b);
                if (r.hasNonNull("pit_id")) {
                    pitId = r.path("pit_id").asText();
                }
                failedShards(r);
                return r.path("hits").path("hits");
            } catch (EsHttp.Refused e) {
                if (!e.contextGone() || attempt > 0) {
                    throw new MigrationException(ErrorCode.SOURCE_IO, split + ": " + e.getMessage(), e);
                }
                // the point in time expired or was closed: a new one, the slice goes on after the same sort values
                LOG.info("{}: point in time gone, reopening it ({})", split, e.getMessage());
                if (ownPit) {
                    source.closePit(pitId);
                }
                pitId = source.openPit(layout);
                ownPit = true;
            }
        }
    }

    private void failedShards(JsonNode r) {
        int failed = r.path("_shards").path("failed").asInt(0);
        if (failed > 0) {
            throw new MigrationException(ErrorCode.SOURCE_IO, split + ": " + failed + " shard(s) failed to answer: "
                    + r.path("_shards").path("failures"));
        }
    }

    private JsonNode scrollPage(int size) {
        while (true) {
            JsonNode r;
            if (scrollId == null) {
                ObjectNode b = body(size);
                b.putArray("sort").add("_doc");
                r = source.http().post("/" + split.indices() + "/_search", Map.of("scroll", source.keepAlive()), b);
            } else {
                ObjectNode b = EsHttp.JSON.createObjectNode().put("scroll", source.keepAlive()).put("scroll_id", scrollId);
                try {
                    r = source.http().post("/_search/scroll", Map.of(), b);
                } catch (EsHttp.Refused e) {
                    throw new MigrationException(ErrorCode.SOURCE_IO, split + ": the scroll ended on the server after "
                            + hitsConsumed + " documents (" + e.getMessage() + "); a longer keepAlive or a resume "
                            + "from the last position continues it", e);
                }
            }
            scrollId = r.path("_scroll_id").asText(null);
            failedShards(r);
            JsonNode hits = r.path("hits").path("hits");
            if (skipHits <= 0 || hits.isEmpty()) {
                return hits;
            }
            // continuing inside a scroll slice: the hits before the position again, dropped
            int n = hits.size();
            if (n <= skipHits) {
                skipHits -= n;
                hitsConsumed += n;
                continue;
            }
            ArrayNode rest = EsHttp.JSON.createArrayNode();
            for (int i = (int) skipHits; i < n; i++) {
                rest.add(hits.get(i));
            }
            hitsConsumed += skipHits;
            skipHits = 0;
            return rest;
        }
    }

    @Override
    public void close() {
        if (scrollId != null) {
            try {
                source.http().delete("/_search/scroll", Map.of("scroll_id", List.of(scrollId)));
            } catch (MigrationException e) {
                LOG.debug("clearing a scroll failed (it expires by itself): {}", e.getMessage());
            }
            scrollId = null;
        }
        if (ownPit) {
            source.closePit(pitId);
            ownPit = false;
        }
    }
}
