package io.milvus.migration.storage;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Storage in a local directory: key {@code a/b.npy} is the file {@code <root>/a/b.npy}. */
public final class LocalStorage implements Storage {
    private final Path root;

    private LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Storage rooted at {@code root}; the directory is created when the first file is written. */
    public static LocalStorage at(Path root) {
        return new LocalStorage(requireNonNull(root, "root is null"));
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return "local:" + root;
    }

    @Override
    public Optional<Path> localPath(String key) {
        return Optional.of(resolve(key));
    }

    @Override
    public void upload(String key, Path file) {
        Path target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".inprogress");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw error("write", key, e);
        }
    }

    @Override
    public InputStream read(String key) {
        try {
            return Files.newInputStream(resolve(key));
        } catch (IOException e) {
            throw error("read", key, e);
        }
    }

    @Override
    public SeekableByteChannel openSeekable(String key) {
        try {
            return FileChannel.open(resolve(key), StandardOpenOption.READ);
        } catch (IOException e) {
            throw error("read", key, e);
        }
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(resolve(key));
        } catch (IOException e) {
            throw error("read the size of", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public List<String> list(String prefix) {
        // walk only the prefix's directory, so that files written or deleted elsewhere meanwhile do not matter
        Path start = root.resolve(prefix.substring(0, prefix.lastIndexOf('/') + 1));
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(start)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(start)) {
                return files.filter(Files::isRegularFile)
                        .map(p -> root.relativize(p).toString().replace('\\', '/'))
                        .filter(k -> k.startsWith(prefix))
                        .sorted()
                        .toList();
            } catch (IOException | UncheckedIOException e) {
                boolean vanished = e instanceof java.nio.file.NoSuchFileException
                        || e.getCause() instanceof java.nio.file.NoSuchFileException;
                if (!vanished || attempt == 3) {
                    throw error("list", prefix, e);
                }
                // a file or directory was removed while walking: walk again
            }
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        try {
            for (String key : list(prefix)) {
                Files.deleteIfExists(resolve(key));
            }
            pruneEmptyDirectories(resolve(prefix.isEmpty() ? "." : prefix));
        } catch (IOException e) {
            throw error("delete", prefix, e);
        }
    }

    /** Removes directories left empty under (and including) {@code dir}, never the root itself. */
    private void pruneEmptyDirectories(Path dir) throws IOException {
        Path start = Files.isDirectory(dir) ? dir : dir.getParent();
        if (start == null || !Files.isDirectory(start) || !start.startsWith(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.walk(start)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                if (!d.equals(root)) {
                    try (Stream<Path> entries = Files.list(d)) {
                        if (entries.findAny().isEmpty()) {
                            Files.deleteIfExists(d);
                        }
                    }
                }
            }
        } catch (NoSuchFileException ignored) {
            // removed concurrently: nothing left to prune
        }
    }

    private Path resolve(String key) {
        requireNonNull(key, "key is null");
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "key " + key + " points outside " + describe());
        }
        return p;
    }

    private MigrationException error(String action, String key, Exception e) {
        return new MigrationException(ErrorCode.STORAGE_IO, "cannot " + action + " " + key + " in " + describe()
                + ": " + e, e);
    }

    @Override
    public String toString() {
        return describe();
    }
}
