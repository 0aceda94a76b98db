package io.milvus.migration.yaml;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.ConfigurableTargetFactory;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.Target;
import io.milvus.migration.spi.Transform;
import io.milvus.migration.spi.TransformFactory;
import io.milvus.migration.storage.LocalStorage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A {@code migration.yaml} in the shape of the Go {@code milvus-migration} tool, mapped onto the same builders a
 * program would use. Unknown keys, missing required keys and bad values fail with the key named. Holds the source,
 * target and storage it creates; close it when done.
 *
 * <p>Plug-ins are found through the thread's context class loader (which the migration's builder takes too); no
 * vendor class is known here. A {@code workMode} names a {@link ConfigurableSourceFactory}: the old tool's four
 * (faiss, milvus1x, milvus2x, elasticsearch) are the plug-ins faiss, milvus1, milvus and elasticsearch, whose
 * settings are mapped from the old tool's layout (errors name the key as written), or bound from their own
 * {@code source.<name>} section; {@code target.milvus2x} configures the {@link ConfigurableTargetFactory} milvus;
 * {@code remote} sections are served by a {@link io.milvus.migration.spi.RemoteStorageFactory}. The entries of the
 * top-level {@code transforms:} list name {@link TransformFactory}s ({@link BuiltInTransforms} and any on the class
 * path), applied in the order given after what the other sections imply.
 *
 * <pre>{@code
 * try (MigrationYaml yaml = MigrationYaml.load(Path.of("migration.yaml"), Migration.Verb.RUN)) {
 *     MigrationReport report = yaml.migration(ProgressListener.NONE).run();
 * }
 * }</pre>
 */
public final class MigrationYaml implements AutoCloseable {
    /** The work modes this parser knows itself; any other names a source plug-in. */
    private static final List<String> BUILT_IN_MODES = List.of("faiss", "milvus1x", "milvus2x", "elasticsearch");

    /** The name of the target plug-in {@code target.milvus2x} configures. */
    private static final String MILVUS_TARGET = "milvus";

    private final Migration.Builder builder;
    private final List<AutoCloseable> resources;
    private final double bytesPerRow;

    private MigrationYaml(Migration.Builder builder, List<AutoCloseable> resources, double bytesPerRow) {
        this.builder = builder;
        this.resources = List.copyOf(resources);
        this.bytesPerRow = bytesPerRow;
    }

    /**
     * Reads a config for one verb: {@code DUMP} needs {@code source} and a staging place, {@code LOAD} a staging
     * place and {@code target.milvus2x}, {@code RUN} all of them. Sections a verb does not use are still checked.
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming the file and key at fault
     */
    public static MigrationYaml load(Path file, Migration.Verb verb) {
        return load(file, verb, List.of());
    }

    /**
     * As {@link #load(Path, Migration.Verb)}, with the source collections of a {@code milvus2x} config replaced by
     * {@code tables} (the command line's {@code -t/--table}) when it is not empty.
     */
    public static MigrationYaml load(Path file, Migration.Verb verb, List<String> tables) {
        requireNonNull(verb, "verb is null");
        requireNonNull(tables, "tables is null");
        MigrationYaml y = parse(read(file), verb, false, List.copyOf(tables), false);
        if (tables.isEmpty()) { // the file alone describes the migration: executors can build it from there
            y.builder.configFile(file.toAbsolutePath().toString());
        }
        return y;
    }

    /**
     * Reads a config for the workers of a distributed run (the Spark executors): the source, the staging place and
     * the writer settings, as for {@code DUMP}; the checkpoint store is checked but not opened (the driver keeps
     * the job) and the target is not kept.
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming the file and key at fault
     */
    public static MigrationYaml loadForWorkers(Path file) {
        return parse(read(file), Migration.Verb.DUMP, false, List.of(), true);
    }

    /**
     * Reads a config given as text (YAML, or the same as JSON, which is YAML too), as {@link #load} does; relative
     * paths resolve against the working directory. {@code name} stands for the file in messages.
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming the key at fault
     */
    public static MigrationYaml parse(String text, String name, Migration.Verb verb) {
        requireNonNull(verb, "verb is null");
        return parse(read(new java.io.StringReader(requireNonNull(text, "text is null")), name), verb, false,
                List.of(), false);
    }

    /**
     * Checks a config given as text for one verb without any I/O: no file is opened, no client created, no store
     * touched. Keys, types, choices and required keys are checked; what only the data can tell (a Faiss file's
     * dimension against {@code dim}) is checked when the migration starts.
     *
     * @return the job id and whether the config names a checkpoint store
     * @throws MigrationException {@code INVALID_CONFIG} naming the key at fault
     */
    public static Checked check(String text, String name, Migration.Verb verb) {
        requireNonNull(verb, "verb is null");
        ConfigNode root = read(new java.io.StringReader(requireNonNull(text, "text is null")), name);
        boolean checkpoint = root.has("checkpoint");
        String jobId = root.isScalar("jobId") ? root.string("jobId") : "";
        parse(root, verb, true, List.of(), false).close();
        return new Checked(jobId, checkpoint);
    }

    /**
     * What {@link #check} found.
     *
     * @param jobId      the config's {@code jobId}, "" if none
     * @param checkpoint whether the config has a {@code checkpoint} section
     */
    public record Checked(String jobId, boolean checkpoint) {
    }

    private static ConfigNode read(Path file) {
        requireNonNull(file, "file is null");
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        } catch (NoSuchFileException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "config file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot read config file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static ConfigNode read(Reader r, String file) {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (MarkedYAMLException e) {
            // Not e.getMessage() nor e as cause: they quote the offending line, which may hold a password.
            Mark at = e.getProblemMark();
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "config file " + file + " is not valid YAML: "
                    + (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem()
                    + (at == null ? "" : " at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1)));
        } catch (YAMLException e) {
            // no e.getMessage(): it may quote the text
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot read config file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "config file " + file
                    + " must hold a mapping with sections dumper, loader, source, target");
        }
        return new ConfigNode(file, "", map);
    }

    /**
     * With {@code check}, nothing is opened or created that touches a file, a network or a store; for
     * {@code workers}, the checkpoint store is not opened.
     */
    private static MigrationYaml parse(ConfigNode root, Migration.Verb verb, boolean check,
            List<String> tables, boolean workers) {
        var b = Migration.builder();
        var resources = new ArrayList<AutoCloseable>();
        try {
            ConfigNode worker = root.optNode("dumper").flatMap(d -> d.optNode("worker")).orElse(null);
            String workMode = worker == null ? "faiss" : worker.optString("workMode").orElse("faiss").trim();
            ConfigurableSourceFactory<?> plugin = null;
            if (BUILT_IN_MODES.stream().noneMatch(workMode::equalsIgnoreCase)) {
                var sources = sourcePlugins();
                plugin = sources.find(workMode).orElseThrow(() -> worker.error("workMode", "must be one of "
                        + BUILT_IN_MODES + " or the name of a source plug-in on the class path "
                        + sources.names() + ", found '" + worker.optString("workMode").orElse("") + "'"));
            } else {
                workMode = worker == null ? workMode
                        : worker.optChoice("workMode", BUILT_IN_MODES.toArray(String[]::new)).orElse("faiss");
            }
            final ConfigurableSourceFactory<?> sourcePlugin = plugin;
            boolean milvus2 = workMode.equals("milvus2x");
            boolean es = workMode.equals("elasticsearch");
            if (!tables.isEmpty() && !milvus2) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "-t/--table names Milvus 2.x collections;"
                        + " the config's workMode is " + workMode);
            }
            Integer[] pageRows = {null};
            Integer esPageSize = null;
            Integer esSlices = null;
            if (worker != null) {
                worker.optInt("limit").ifPresent(n -> b.parallelism(positive(worker, "limit", n)));
                if (es) {
                    // every document has a VarChar key (_id or a keyword) and maybe a dynamic field: JSON rows
                    b.bulkFormat(BulkFormat.JSON);
                    // for Elasticsearch the Go tool's bufferSize counts documents per search request
                    esPageSize = worker.optNode("reader").flatMap(r -> r.optInt("bufferSize")).orElse(null);
                    esSlices = worker.optInt("limit").orElse(null);
                } else {
                    // for milvus2x, as in the Go tool, the rows of one read of the source; else kilobytes per batch
                    worker.optNode("reader").flatMap(r -> r.optInt("bufferSize")).ifPresent(n -> {
                        if (milvus2) {
                            pageRows[0] = Math.min(16_384, positive(worker, "reader.bufferSize", n));
                        } else {
                            b.batchBytes(1024L * positive(worker, "reader.bufferSize", n));
                        }
                    });
                }
                worker.optNode("writer").ifPresent(wr -> {
                    wr.optInt("bufferSize"); // accepted for compatibility; files are written through a fixed buffer
                    wr.optChoice("format", "numpy", "json", "parquet")
                            .ifPresent(f -> b.bulkFormat(BulkFormat.valueOf(f.toUpperCase(Locale.ROOT))));
                    wr.optInt("maxFileSize").ifPresent(mb -> b.maxFileBytes((long) positive(wr, "maxFileSize", mb)
                            << 20));
                });
            }
            root.optNode("loader").flatMap(l -> l.optNode("worker")).ifPresent(lw -> {
                lw.optInt("limit").ifPresent(n -> b.maxConcurrentImports(positive(lw, "limit", n)));
                lw.optInt("maxStagedSize").ifPresent(mb -> b.maxStagedBytes((long) positive(lw, "maxStagedSize",
                        mb) << 20));
            });
            root.optString("jobId").ifPresent(id -> jobId(root, b, id));
            root.optNode("checkpoint").ifPresent(c -> {
                if (check || workers) {
                    checkpointKeys(c);
                    return;
                }
                CheckpointStore store = checkpointStore(c);
                resources.add(store);
                b.checkpoints(store);
            });

            ConfigNode targetNode = root.node("target");
            ConfigNode createNode = targetNode.optNode("create").orElse(null);
            ConfigNode create = createNode == null ? null : createNode.optNode("collection").orElse(null);

            ConfigNode sourceNode = verb == Migration.Verb.LOAD ? root.optNode("source").orElse(null)
                    : root.node("source");
            boolean open = !check && verb != Migration.Verb.LOAD;
            // a built-in work mode with its plug-in's own section (source.faiss, source.milvus, ...) instead of
            // the old tool's layout
            ConfigurableSourceFactory<?> ownSection = sourcePlugin == null && sourceNode != null
                    && sourceNode.has(BUILT_IN_PLUGINS.get(workMode)[0]) ? builtIn(root, workMode) : null;
            if (ownSection != null && !tables.isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "-t/--table replaces the collections of the"
                        + " old source.milvus2x layout; list them in source." + ownSection.name() + " instead");
            }
            EsYaml.Result esPart = es && ownSection == null ? EsYaml.read(root, sourceNode, esPageSize, esSlices,
                    open, builtIn(root, "elasticsearch"), resources) : null;
            Source source = ownSection != null ? pluginSource(ownSection, sourceNode, open, resources)
                    : switch (workMode) {
                case "elasticsearch" -> esPart.source();
                case "milvus1x" -> milvus1Source(root, sourceNode, create, open, resources);
                case "milvus2x" -> milvus2Source(root, sourceNode, open, resources, tables, pageRows[0], b);
                default -> sourcePlugin != null ? pluginSource(sourcePlugin, sourceNode, open, resources)
                        : faissSource(root, sourceNode, create, open, resources);
            };
            if (source != null) {
                b.source(source);
            }
            // a Milvus source would connect to tell its rows; the progress bar goes without the estimate
            double bytesPerRow = source == null || milvus2 ? 0 : bytesPerRow(source);

            // milvus2x copies by insert unless the config names a place to stage bulk files, as the Go tool does
            boolean staged = !milvus2 || targetNode.has("mode") || targetNode.has("local") || targetNode.has("remote");
            String mode = targetNode.optChoice("mode", "local", "remote").orElse("local");
            if (!staged) {
                // nothing staged: rows are inserted
            } else if (mode.equals("remote")) {
                // bulk files go to Milvus's own bucket under outputDir; Milvus imports them by key
                ConfigNode remote = targetNode.node("remote");
                String outputDir = remote.string("outputDir");
                if (check) {
                    RemoteStorageYaml.validate(remote);
                } else {
                    Storage staging = RemoteStorageYaml.storage(remote);
                    resources.add(staging);
                    b.staging(staging).stagingPrefix(outputDir);
                }
                targetNode.optNode("local").ifPresent(l -> l.optString("outputDir")); // kept for mode: local
            } else {
                String dir = targetNode.node("local").string("outputDir");
                if (!check) {
                    b.staging(LocalStorage.at(Path.of(dir).toAbsolutePath().normalize())).stagingPrefix("");
                }
                targetNode.optNode("remote").ifPresent(r -> {
                    r.optString("outputDir");
                    RemoteStorageYaml.accept(r);
                });
            }
            targetNode.optBool("keepStagedFiles").ifPresent(b::keepStagedFiles);
            if (create != null) {
                create.optString("name").ifPresent(b::collectionName);
            }

            ConfigNode milvus = verb == Migration.Verb.DUMP ? targetNode.optNode("milvus2x").orElse(null)
                    : targetNode.node("milvus2x");
            // does not connect; a dump only checks it
            Target target = milvusTarget(root, milvus, create, createNode, staged, esPart,
                    verb != Migration.Verb.DUMP);
            if (target != null) {
                resources.add(target);
                b.target(target);
            }
            transforms(root, check).forEach(b::transform);
            if (workMode.equals("faiss")) {
                root.optNode("meta"); // for Faiss only an empty section is accepted
            }
            root.finish();
            return new MigrationYaml(b, resources, bytesPerRow);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * The Go tool's {@code milvus2x} source: {@code source.milvus2x.{endpoint, username, password, token, database,
     * grpc.*}} and {@code meta.{collection | collections, fields, milvus.*}}; {@code tables} replace the collections.
     * Null when {@code open} is false (the keys are still checked).
     */
    private static Source milvus2Source(ConfigNode root, ConfigNode sourceNode, boolean open,
                                        List<AutoCloseable> resources, List<String> tables, Integer pageRows,
                                        Migration.Builder migration) {
        ConfigNode meta = root.optNode("meta").orElse(null);
        var m = new MappedSettings(root.file(), "source.milvus");
        m.put("pageRows", pageRows, "dumper.worker.reader.bufferSize");
        if (sourceNode != null) {
            ConfigNode s = sourceNode.node("milvus2x");
            m.put("endpoint", s.string("endpoint"), s.keyOf("endpoint"));
            for (String key : new String[] {"username", "password", "token", "database"}) {
                m.put(key, s.optString(key), s, key);
            }
            grpc(s).ifPresent(g -> m.put("grpc", g, s.keyOf("grpc")));
        }
        String targetName = null;
        var collections = new ArrayList<String[]>();
        var databases = new ArrayList<String>();
        if (meta != null) {
            meta.optChoice("mode", "config"); // the Go tool's only mode for milvus2x: this file holds the meta
            meta.optString("version"); // the source's version, informational
            meta.optString("collection").ifPresent(c -> collections.add(new String[] {c, c}));
            for (Object o : meta.optList("collections")) {
                if (o instanceof ConfigNode n) {
                    String name = n.string("name");
                    collections.add(new String[] {name, n.optString("target").orElse(name)});
                } else {
                    collections.add(new String[] {(String) o, (String) o});
                }
            }
            for (Object o : meta.optList("databases")) {
                if (!(o instanceof String db)) {
                    throw meta.error("databases", "must be a list of database names");
                }
                databases.add(db);
            }
            var fields = new ArrayList<String>();
            for (Object o : meta.optList("fields")) {
                fields.add(o instanceof ConfigNode n ? n.string("name") : (String) o);
            }
            if (!fields.isEmpty()) {
                migration.transform(io.milvus.migration.Transforms.selectFields(fields));
            }
            ConfigNode target = meta.optNode("milvus").orElse(null);
            if (target != null) {
                targetName = target.optString("collection").orElse(null);
                target.optString("autoId").ifPresent(a -> {
                    switch (a.trim().toLowerCase(Locale.ROOT)) {
                        case "" -> { }
                        case "true" -> m.put("newIds", true, target.keyOf("autoId"));
                        case "false" -> m.put("newIds", false, target.keyOf("autoId"));
                        default -> throw target.error("autoId", "must be \"\", true or false, found '" + a + "'");
                    }
                });
                Boolean closeDynamic = target.optBool("closeDynamicField").orElse(null);
                Integer shards = target.optInt("shardNum").orElse(null);
                String level = target.optChoice("consistencyLevel", "Strong", "Session", "Bounded", "Eventually",
                        "Customized").orElse(null);
                if (closeDynamic != null || shards != null || level != null) {
                    migration.transform(new SchemaOverrides(closeDynamic != null && closeDynamic, shards,
                            level == null || level.equals("Customized") ? null
                                    : io.milvus.migration.spi.ConsistencyLevel.valueOf(level.toUpperCase(Locale.ROOT))));
                }
            }
        }
        if (!tables.isEmpty()) {
            collections.clear();
            tables.forEach(t -> collections.add(new String[] {t, t}));
        }
        if (targetName != null) {
            if (collections.size() != 1) {
                throw meta.error("milvus.collection", "renames one collection; " + collections.size()
                        + " are copied: use meta.collections with name and target");
            }
            collections.get(0)[1] = targetName;
        }
        if (!collections.isEmpty()) {
            m.put("collections", collections.stream().map(c -> Map.of("name", c[0], "target", c[1])).toList(),
                    tables.isEmpty() ? "meta.collections" : "-t/--table");
        }
        if (!databases.isEmpty()) {
            m.put("databases", databases, "meta.databases");
        }
        if (sourceNode == null) {
            return null;
        }
        return pluginSource(builtIn(root, "milvus2x"), m, open, resources);
    }

    /** A plug-in's source: its section {@code source.<name>} bound to its settings and checked; created if open. */
    private static <S> Source pluginSource(ConfigurableSourceFactory<S> factory, ConfigNode sourceNode, boolean open,
                                           List<AutoCloseable> resources) {
        if (sourceNode == null) {
            return null;
        }
        S settings = sourceNode.bind(factory.name(), factory.settingsType());
        factory.validate(settings);
        if (!open) {
            return null;
        }
        Source source = factory.create(settings);
        resources.add(source);
        return source;
    }

    /**
     * The {@code transforms:} list, in order: each entry {@code {name: <factory>, <settings>...}} bound to its
     * factory's settings type and validated; with {@code check} nothing is created (an empty list).
     */
    private static List<Transform> transforms(ConfigNode root, boolean check) {
        var out = new ArrayList<Transform>();
        List<ConfigNode> entries = root.optNodes("transforms");
        if (entries.isEmpty()) {
            return out;
        }
        var transforms = NamedPlugins.of("transform", TransformFactory.class, f -> (TransformFactory<?>) f,
                TransformFactory::name);
        for (ConfigNode entry : entries) {
            String name = entry.string("name").trim();
            TransformFactory<?> factory = transforms.find(name).orElseThrow(() -> entry.error("name",
                    "names no transform: '" + name + "' is none of " + transforms.names()));
            Transform t = transform(factory, entry, check);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private static <S> Transform transform(TransformFactory<S> factory, ConfigNode entry, boolean check) {
        S settings = entry.bindSelf(factory.settingsType(), "name");
        try {
            factory.validate(settings);
            Transform t = check ? null : factory.create(settings);
            if (!check && t == null) {
                throw new MigrationException(ErrorCode.INTERNAL, factory.getClass().getName()
                        + " created no transform");
            }
            return t;
        } catch (MigrationException e) {
            // the factory names its setting; the entry tells which of the list it is
            throw e.in(entry.where());
        }
    }

    /** {@code grpc.maxCallRecvMsgSize/maxCallSendMsgSize}: accepted; a page too large for gRPC is halved instead. */
    private static java.util.Optional<Map<String, Object>> grpc(ConfigNode milvus) {
        return milvus.optNode("grpc").map(g -> {
            var out = new java.util.LinkedHashMap<String, Object>();
            g.optInt("maxCallRecvMsgSize").ifPresent(n -> out.put("maxCallRecvMsgSize", n));
            g.optInt("maxCallSendMsgSize").ifPresent(n -> out.put("maxCallSendMsgSize", n));
            return out;
        });
    }

    /**
     * The Faiss plug-in's settings from {@code source.local/remote.faissFile} and
     * {@code target.create.collection.dim/metricType}; the source when {@code open}, else null (the keys are still
     * checked). The plug-in checks dim and metric against the file.
     */
    private static Source faissSource(ConfigNode root, ConfigNode sourceNode, ConfigNode create, boolean open,
                                      List<AutoCloseable> resources) {
        var m = new MappedSettings(root.file(), "source.faiss");
        if (create != null) {
            m.put("dim", create.optInt("dim"), create, "dim");
            m.put("metricType", create.optChoice("metricType", "L2", "IP", "COSINE", "HAMMING", "JACCARD"), create,
                    "metricType");
        }
        if (sourceNode == null) {
            return null;
        }
        String mode = sourceNode.optChoice("mode", "local", "remote").orElse("local");
        if (mode.equals("remote")) {
            ConfigNode remote = sourceNode.node("remote");
            m.put("file", remote.string("faissFile"), remote.keyOf("faissFile"));
            m.put("remote", RemoteStorageYaml.values(remote), remote.path());
        } else {
            ConfigNode local = sourceNode.node("local");
            m.put("file", local.string("faissFile"), local.keyOf("faissFile"));
        }
        return pluginSource(builtIn(root, "faiss"), m, open, resources);
    }

    /** The source plug-ins of the built-in work modes, by mode, and the modules that hold them. */
    private static final Map<String, String[]> BUILT_IN_PLUGINS = Map.of(
            "faiss", new String[] {"faiss", "migration-faiss"},
            "milvus1x", new String[] {"milvus1", "migration-milvus1"},
            "milvus2x", new String[] {"milvus", "migration-milvus2"},
            "elasticsearch", new String[] {"elasticsearch", "migration-es"});

    /** The plug-in of a built-in work mode, which the class path must hold. */
    private static ConfigurableSourceFactory<?> builtIn(ConfigNode root, String workMode) {
        String[] plugin = BUILT_IN_PLUGINS.get(workMode);
        var sources = sourcePlugins();
        return sources.find(plugin[0]).orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                root.file() + ": key 'dumper.worker.workMode' " + workMode + " needs the source plug-in '"
                        + plugin[0] + "' (module " + plugin[1] + ") on the class path; found "
                        + sources.names()));
    }

    private static NamedPlugins<ConfigurableSourceFactory<?>> sourcePlugins() {
        return NamedPlugins.of("source", io.milvus.migration.spi.SourceFactory.class,
                f -> f instanceof ConfigurableSourceFactory<?> c ? c : null, ConfigurableSourceFactory::name);
    }

    /** A plug-in's source from settings mapped from the old layout: bound, validated, created if open. */
    static <S> Source pluginSource(ConfigurableSourceFactory<S> factory, MappedSettings m, boolean open,
                                           List<AutoCloseable> resources) {
        S settings = m.bind(factory.settingsType());
        Source source = m.call(() -> {
            factory.validate(settings);
            return open ? factory.create(settings) : null;
        });
        if (source != null) {
            resources.add(source);
        }
        return source;
    }

    /**
     * The Milvus 1.x plug-in's settings from {@code meta} and {@code source.local/remote}; its source when
     * {@code open}, else null as for {@link #faissSource}. Without a source section (a load) only the keys the
     * file has are checked.
     */
    private static Source milvus1Source(ConfigNode root, ConfigNode sourceNode, ConfigNode create, boolean open,
                                        List<AutoCloseable> resources) {
        ConfigNode meta = root.optNode("meta").orElse(null);
        if (create != null) {
            for (String key : new String[] {"dim", "metricType"}) {
                if (create.has(key)) {
                    throw create.error(key, "does not apply to workMode milvus1x: each collection's dimension and"
                            + " metric come from the Milvus 1.x catalogue");
                }
            }
        }
        // meta.mode remote: the Go tool's meta.json at meta.remoteMetaFile in the source's object store
        boolean remoteMeta = meta != null && meta.optString("mode").map(m -> m.trim().equalsIgnoreCase("remote"))
                .orElse(false);
        var m = new MappedSettings(root.file(), "source.milvus1");
        ConfigurableSourceFactory<?> factory = builtIn(root, "milvus1x");
        if (sourceNode == null) {
            if (remoteMeta) {
                meta.optString("remoteMetaFile");
            } else if (meta != null) {
                milvus1Catalogue(meta, m);
                checkGiven(factory, m);
            }
            return null;
        }
        if (meta == null) {
            throw root.error("meta", "is missing; workMode milvus1x reads the catalogue named by meta.mode and"
                    + " meta.sqliteFile, meta.mysqlUrl, meta.localFile or meta.remoteMetaFile");
        }
        String mode = sourceNode.optChoice("mode", "local", "remote").orElse("local");
        if (mode.equals("remote")) {
            // source.remote: the storage keys plus the Go tool's tablesDir, a key prefix ('/' in front ignored)
            ConfigNode remote = sourceNode.node("remote");
            m.put("tablesDir", remote.string("tablesDir"), remote.keyOf("tablesDir"));
            if (remoteMeta) {
                m.put("metaMode", "remote", meta.keyOf("mode"));
                m.put("remoteMetaFile", meta.string("remoteMetaFile"), meta.keyOf("remoteMetaFile"));
            } else {
                milvus1Catalogue(meta, m);
            }
            m.put("remote", RemoteStorageYaml.values(remote), remote.path());
        } else {
            if (remoteMeta) {
                throw meta.error("mode", "'remote' reads meta.remoteMetaFile from the source's object store, which"
                        + " needs source.mode 'remote'; with a local source use mode 'local' and 'localFile'");
            }
            milvus1Catalogue(meta, m);
            ConfigNode local = sourceNode.node("local");
            m.put("tablesDir", local.string("tablesDir"), local.keyOf("tablesDir"));
        }
        Source source = pluginSource(factory, m, open, resources);
        String rename = create == null ? null : create.optString("name").orElse(null);
        if (source != null && rename != null && source.collections().size() != 1) {
            List<String> names = source.collections().stream().map(c -> c.schema().name()).toList();
            throw create.error("name", "renames a single collection, but the Milvus 1.x catalogue has "
                    + names.size() + " live collections " + names + "; remove it to keep their names");
        }
        return source;
    }

    /**
     * The catalogue keys of the {@code meta} section, as the Milvus 1.x plug-in names them: {@code mode} sqlite
     * ({@code sqliteFile}), mysql ({@code mysqlUrl}: the Go tool's {@code user:password@tcp(host:port)/db} or a
     * JDBC URL with {@code mysqlUser}/{@code mysqlPassword}), mock ({@code mockFile}) or local ({@code localFile}):
     * the Go tool's {@code meta.json}. Only the keys of the mode are read, so that the others are unknown.
     */
    private static void milvus1Catalogue(ConfigNode meta, MappedSettings m) {
        String mode = meta.optChoice("mode", "sqlite", "mysql", "mock", "local", "remote")
                .orElseThrow(() -> meta.error("mode", "is missing (sqlite, mysql, mock, local or remote)"));
        m.put("metaMode", mode, meta.keyOf("mode"));
        switch (mode) {
            case "sqlite" -> m.put("sqliteFile", meta.string("sqliteFile"), meta.keyOf("sqliteFile"));
            case "mock" -> m.put("mockFile", meta.string("mockFile"), meta.keyOf("mockFile"));
            case "local" -> m.put("localFile", meta.string("localFile"), meta.keyOf("localFile"));
            case "remote" -> throw meta.error("mode", "'remote' (meta.remoteMetaFile in the source's object store)"
                    + " is not supported yet; copy the file and use mode 'local' with 'localFile'");
            default -> {
                m.put("mysqlUrl", meta.string("mysqlUrl"), meta.keyOf("mysqlUrl"));
                m.put("mysqlUser", meta.optString("mysqlUser"), meta, "mysqlUser");
                m.put("mysqlPassword", meta.optString("mysqlPassword"), meta, "mysqlPassword");
            }
        }
    }

    /**
     * Validates settings mapped from a file that lacks some of what the plug-in needs (a load has no source
     * section): a complaint about a setting the file did not give is not the file's fault and is let go.
     */
    static <S> void checkGiven(ConfigurableSourceFactory<S> factory, MappedSettings m) {
        S settings = m.bind(factory.settingsType());
        try {
            factory.validate(settings);
        } catch (MigrationException e) {
            if (!m.namesUnmapped(e)) {
                throw m.translate(e);
            }
        }
    }

    /**
     * Reads the Milvus 1.x catalogue named by a {@code milvus1x} config's {@code meta} section ({@code meta.mode}
     * sqlite or mysql) into settings of {@code type} (the Milvus 1.x plug-in's, {@code Milvus1Settings}), for
     * writing it as the Go tool's {@code meta.json}. Only {@code dumper.worker.workMode} and {@code meta} are read.
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming the key at fault
     */
    public static <S> S metaExportSettings(Path file, Class<S> type) {
        requireNonNull(type, "type is null");
        ConfigNode root = read(file);
        ConfigNode worker = root.node("dumper").node("worker");
        String workMode = worker.string("workMode");
        if (!workMode.equals("milvus1x")) {
            throw worker.error("workMode", "must be milvus1x to export a Milvus 1.x catalogue, found '" + workMode
                    + "'");
        }
        ConfigNode meta = root.node("meta");
        String mode = meta.string("mode");
        if (!mode.equals("sqlite") && !mode.equals("mysql")) {
            throw meta.error("mode", "must be sqlite or mysql to export meta.json, found '" + mode + "'");
        }
        var m = new MappedSettings(root.file(), "source.milvus1");
        milvus1Catalogue(meta, m);
        meta.finish();
        ConfigurableSourceFactory<?> factory = builtIn(root, "milvus1x");
        if (!factory.settingsType().equals(type)) {
            throw new IllegalArgumentException("the Milvus 1.x plug-in takes " + factory.settingsType().getName()
                    + ", not " + type.getName());
        }
        checkGiven(factory, m);
        return m.bind(type);
    }

    /**
     * The Milvus target plug-in's settings from {@code target.milvus2x}, {@code target.create.collection} (and
     * {@code target.create}'s index and load) and, for Elasticsearch, {@code meta.milvus}; created when
     * {@code build}, else only validated. Null when there is no {@code target.milvus2x} (a dump).
     */
    private static Target milvusTarget(ConfigNode root, ConfigNode milvus, ConfigNode collection, ConfigNode create,
                                       boolean staged, EsYaml.Result es, boolean build) {
        var m = new MappedSettings(root.file(), "target." + MILVUS_TARGET);
        if (!staged) {
            m.put("bulkImport", false, "target.mode");
        }
        if (es != null) {   // the Go tool's meta.milvus of an Elasticsearch migration
            m.put("shards", es.shards().orElse(null), "meta.milvus.shardNum");
            // the Go tool's closeDynamicField is false by default
            m.put("enableDynamicField", es.dynamic().orElse(true), "meta.milvus.closeDynamicField");
        }
        if (milvus != null) {
            // the Go tool's insert or upsert of rows read from a Milvus 2.x source
            m.put("writeMode", milvus.optChoice("writeMode", "insert", "upsert"), milvus, "writeMode");
            grpc(milvus).ifPresent(g -> m.put("grpc", g, milvus.keyOf("grpc")));
            m.put("endpoint", milvus.string("endpoint"), milvus.keyOf("endpoint"));
            for (String key : new String[] {"username", "password", "token", "database"}) {
                m.put(key, milvus.optString(key), milvus, key);
            }
            m.put("mode", milvus.optChoice("mode", "bulkImport", "insert"), milvus, "mode");
        }
        if (collection != null) {
            if (collection.has("shardsNum") && collection.has("shardsNums")) {
                throw collection.error("shardsNums", "and 'shardsNum' are both set; keep one");
            }
            String shardsKey = collection.has("shardsNum") ? "shardsNum" : "shardsNums";
            m.put("shards", collection.optInt("shardsNum").or(() -> collection.optInt("shardsNums")), collection,
                    shardsKey);
            m.put("description", collection.optString("description"), collection, "description");
            m.put("enableDynamicField", collection.optBool("enableDynamicField"), collection, "enableDynamicField");
            m.put("ifExists", collection.optChoice("ifExists", "fail", "append", "recreate"), collection,
                    "ifExists");
        }
        // documented under target.create.collection; target.create.{index, load} was read before and still is
        ConfigNode indexAt = where("index", collection, create);
        if (indexAt != null && indexAt.isScalar("index")) {
            // index: none (no index), or index: IVF_FLAT (a type with its default parameters)
            m.put("index", indexAt.string("index"), indexAt.keyOf("index"));
        } else if (indexAt != null) {
            ConfigNode index = indexAt.node("index");
            m.put("index", index.string("type"), index.keyOf("type"));
            m.put("indexParams", index.optString("params"), index, "params");
        }
        ConfigNode loadAt = where("load", collection, create);
        if (loadAt != null) {
            m.put("load", loadAt.optBool("load"), loadAt, "load");
        }
        if (milvus == null) {
            return null;
        }
        ConfigurableTargetFactory<?> factory = NamedPlugins.of("target", io.milvus.migration.spi.TargetFactory.class,
                f -> f instanceof ConfigurableTargetFactory<?> c ? c : null, ConfigurableTargetFactory::name)
                .find(MILVUS_TARGET).orElseThrow(() ->
                new MigrationException(ErrorCode.INVALID_CONFIG, root.file() + ": key '" + milvus.path()
                        + "' needs the Milvus target plug-in '" + MILVUS_TARGET + "' (module migration-milvus2) on"
                        + " the class path"));
        return pluginTarget(factory, m, build);
    }

    private static <S> Target pluginTarget(ConfigurableTargetFactory<S> factory, MappedSettings m, boolean build) {
        S settings = m.bind(factory.settingsType());
        return m.call(() -> {
            factory.validate(settings);
            return build ? factory.create(settings) : null;
        });
    }

    /**
     * Keeps the job's state in {@code store}, overriding the config's {@code checkpoint} section (the server's own
     * store). The caller closes the store.
     */
    public MigrationYaml checkpoints(CheckpointStore store) {
        builder.checkpoints(requireNonNull(store, "store is null"));
        return this;
    }

    /** Names the job, overriding {@code jobId} of the file (the CLI's {@code --job}). */
    public MigrationYaml jobId(String jobId) {
        builder.jobId(jobId);
        return this;
    }

    private static void jobId(ConfigNode root, Migration.Builder b, String id) {
        try {
            b.jobId(id);
        } catch (MigrationException e) {
            throw root.error("jobId", e.reason());
        }
    }

    /**
     * The checkpoint store a config names ({@code checkpoint.mode} sqlite or mysql), or the default local file when
     * it names none; for listing and dropping jobs. The caller closes it.
     */
    public static CheckpointStore checkpointStore(Path file) {
        ConfigNode root = read(file);
        return root.optNode("checkpoint").map(MigrationYaml::checkpointStore)
                .orElseGet(() -> CheckpointStores.sqlite(Path.of("migration-checkpoints.db")));
    }

    /** Reads the keys of a {@code checkpoint} section as {@link #checkpointStore(ConfigNode)} does, opening nothing. */
    private static void checkpointKeys(ConfigNode c) {
        String mode = c.optChoice("mode", "sqlite", "mysql").orElse("sqlite");
        c.optString("sqliteFile");
        c.optString("mysqlPassword");
        if (mode.equals("mysql")) {
            c.string("mysqlUrl");
            c.string("mysqlUser");
        } else {
            c.optString("mysqlUrl");
            c.optString("mysqlUser");
        }
        c.finish();
    }

    private static CheckpointStore checkpointStore(ConfigNode c) {
        String mode = c.optChoice("mode", "sqlite", "mysql").orElse("sqlite");
        if (mode.equals("mysql")) {
            c.optString("sqliteFile");
            CheckpointStore store = CheckpointStores.mysql(c.string("mysqlUrl"), c.string("mysqlUser"),
                    c.optString("mysqlPassword").orElse(""));
            c.finish();
            return store;
        }
        c.optString("mysqlUrl");
        c.optString("mysqlUser");
        c.optString("mysqlPassword");
        Path db = Path.of(c.optString("sqliteFile").orElse("migration-checkpoints.db"));
        c.finish();
        return CheckpointStores.sqlite(db);
    }

    /**
     * The one of {@code collection} ({@code target.create.collection}) and {@code create} ({@code target.create})
     * that sets {@code key}, or null; both setting it is an error.
     */
    private static ConfigNode where(String key, ConfigNode collection, ConfigNode create) {
        boolean inCollection = collection != null && collection.has(key);
        boolean inCreate = create != null && create.has(key);
        if (inCollection && inCreate) {
            throw create.error(key, "and 'target.create.collection." + key + "' are both set; keep the second");
        }
        return inCollection ? collection : inCreate ? create : null;
    }

    /** Bytes of one row as the source's collections hold them, weighted by their rows; 0 if unknown. */
    private static double bytesPerRow(Source source) {
        double bytes = 0;
        double rows = 0;
        for (Source.SourceCollection c : source.collections()) {
            long perRow = c.schema().fields().stream().mapToLong(FieldSchema::bytesPerRow).sum();
            long n = Math.max(1, c.estimatedRows()); // unknown (-1) or empty: counts as one row
            bytes += (double) perRow * n;
            rows += n;
        }
        return rows == 0 ? 0 : bytes / rows;
    }

    private static int positive(ConfigNode node, String key, int n) {
        if (n < 1) {
            throw node.error(key, "must be at least 1, found " + n);
        }
        return n;
    }

    /**
     * Bytes of one row as the source holds them (the id and vector fields), averaged over its collections by rows,
     * for a rate in MB/s; 0 when there is no source (as for {@code LOAD}).
     */
    public double bytesPerRow() {
        return bytesPerRow;
    }

    /** The migration this config describes, reporting to {@code listener}. */
    public Migration migration(ProgressListener listener) {
        return builder.listener(requireNonNull(listener, "listener is null")).build();
    }

    /** Closes the source, target and storage this config created. */
    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(MigrationYaml.class).warn("cannot close {}", r, e);
            }
        }
    }
}
