package io.milvus.migration.milvus1;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Catalog} as the Go {@code milvus-migration} tool's {@code meta.json} (the shape
 * {@link JsonCatalogReader} reads): live collections only, each with the segments of raw, to-index and backup files
 * of its own table and of its live partitions; partition segments name their table and tag (see
 * {@link Milvus1Source.Builder#writeMetaJson}).
 */
final class MetaJsonWriter {
    private MetaJsonWriter() {
    }

    static Map<String, Long> write(Catalog catalog, Set<String> wanted, Path file) {
        var live = new LinkedHashMap<String, Catalog.Table>();
        for (Catalog.Table t : catalog.tables()) {
            if (t.state() == Catalog.STATE_NORMAL && !t.isPartition()) {
                live.put(t.tableId(), t);
            }
        }
        if (wanted != null) {
            for (String name : wanted) {
                if (!live.containsKey(name)) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "collection " + name + " is not a live"
                            + " collection of the Milvus 1.x catalogue; it has " + live.keySet());
                }
            }
        }
        var summary = new LinkedHashMap<String, Long>();
        var json = new StringBuilder("{\"collections\":[");
        long total = 0;
        for (Catalog.Table c : live.values()) {
            if (wanted != null && !wanted.contains(c.tableId())) {
                continue;
            }
            var tables = new ArrayList<Catalog.Table>();
            tables.add(c);
            catalog.tables().stream()
                    .filter(t -> t.state() == Catalog.STATE_NORMAL && t.ownerTable().equals(c.tableId()))
                    .sorted(Comparator.comparing(Catalog.Table::partitionTag))
                    .forEach(tables::add);
            var segments = new ArrayList<String>();
            long rows = 0;
            for (Catalog.Table t : tables) {
                List<Catalog.TableFile> files = catalog.files().stream()
                        .filter(f -> f.tableId().equals(t.tableId()) && Catalog.holdsRawVectors(f.fileType()))
                        .sorted(Comparator.comparing(Catalog.TableFile::segment))
                        .toList();
                for (Catalog.TableFile f : files) {
                    segments.add("{\"collection\":" + str(t.tableId()) + ",\"segment\":" + str(f.segment())
                            + ",\"dim\":" + c.dimension() + ",\"rows\":" + f.rowCount() + ",\"fileSize\":"
                            + f.fileSize() + (t.isPartition() ? ",\"partition\":" + str(t.partitionTag()) : "")
                            + "}");
                    rows += f.rowCount();
                }
            }
            if (!summary.isEmpty()) {
                json.append(',');
            }
            json.append("\n{\"collection\":").append(str(c.tableId())).append(",\"metric\":").append(c.metricType())
                    .append(",\"rows\":").append(rows).append(",\"dim\":").append(c.dimension())
                    .append(",\"segments\":[").append(String.join(",\n  ", segments)).append("]}");
            summary.put(c.tableId(), rows);
            total += rows;
        }
        json.append("],\n\"rows\":").append(total).append("}\n");
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".meta", ".json.tmp");
            try {
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot write Milvus 1.x meta.json " + file + ": " + e,
                    e);
        }
        return summary;
    }

    private static String str(String s) {
        var b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
