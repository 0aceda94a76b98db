package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What a finished migration did.
 *
 * @param rowsRead    rows read from the source (after transforms)
 * @param rowsLoaded  rows the target holds for this migration after loading; 0 for a dump
 * @param collections target collection names, in source order
 * @param stagedFiles keys of the bulk files staged (empty for direct insert); kept or deleted per configuration
 * @param staging     where staged files live (storage description and prefix), "" when nothing was staged
 * @param elapsed     wall-clock time of the whole run
 */
public record MigrationReport(long rowsRead, long rowsLoaded, List<String> collections, List<String> stagedFiles,
                              String staging, Duration elapsed) {
    public MigrationReport {
        collections = List.copyOf(requireNonNull(collections, "collections is null"));
        stagedFiles = List.copyOf(requireNonNull(stagedFiles, "stagedFiles is null"));
        requireNonNull(staging, "staging is null");
        requireNonNull(elapsed, "elapsed is null");
    }
}
