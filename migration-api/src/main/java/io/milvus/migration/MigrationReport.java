package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.SkippedRow;
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
 * @param rowsSkipped rows the source left out by the user's choice (such as documents without their vector)
 * @param skipped     the first {@value #SKIPPED_LISTED} of them, named
 */
public record MigrationReport(long rowsRead, long rowsLoaded, List<String> collections, List<String> stagedFiles,
                              String staging, Duration elapsed, long rowsSkipped, List<SkippedRow> skipped) {
    /** How many skipped rows a report names; the others are counted only (and logged by the source). */
    public static final int SKIPPED_LISTED = 10_000;

    public MigrationReport {
        collections = List.copyOf(requireNonNull(collections, "collections is null"));
        stagedFiles = List.copyOf(requireNonNull(stagedFiles, "stagedFiles is null"));
        requireNonNull(staging, "staging is null");
        requireNonNull(elapsed, "elapsed is null");
        skipped = List.copyOf(requireNonNull(skipped, "skipped is null"));
    }

    /** A report of a run that skipped no row. */
    public MigrationReport(long rowsRead, long rowsLoaded, List<String> collections, List<String> stagedFiles,
                           String staging, Duration elapsed) {
        this(rowsRead, rowsLoaded, collections, stagedFiles, staging, elapsed, 0, List.of());
    }
}
