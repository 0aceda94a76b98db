package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A directory as {@link Storage}, for tests. {@code local} says whether it offers {@link #localPath} (files are then
 * written in place) or hides it like a remote store (files are then spooled and {@link #upload}ed).
 */
final class DirStorage implements Storage {
    private final Path root;
    private final boolean local;
    final AtomicInteger uploads = new AtomicInteger();

    DirStorage(Path root, boolean local) {
        this.root = root;
        this.local = local;
    }

    Path root() {
        return root;
    }

    @Override
    public String describe() {
        return (local ? "dir:" : "remote-dir:") + root;
    }

    @Override
    public Optional<Path> localPath(String key) {
        return local ? Optional.of(root.resolve(key)) : Optional.empty();
    }

    @Override
    public void upload(String key, Path file) {
        uploads.incrementAndGet();
        try {
            Path to = root.resolve(key);
            Files.createDirectories(to.getParent());
            Path tmp = to.resolveSibling(to.getFileName() + ".uploading");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot upload " + key + " to " + describe(), e);
        }
    }

    @Override
    public InputStream read(String key) {
        try {
            return Files.newInputStream(root.resolve(key));
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot read " + key + " in " + describe(), e);
        }
    }

    @Override
    public java.nio.channels.SeekableByteChannel openSeekable(String key) {
        try {
            return Files.newByteChannel(root.resolve(key));
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot read " + key + " in " + describe(), e);
        }
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(root.resolve(key));
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot read " + key + " in " + describe(), e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(root.resolve(key));
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
                    throw new java.io.UncheckedIOException(String.valueOf(e), new IOException(e));
                }
                // a file or directory was removed while walking: walk again
            }
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        for (String key : list(prefix)) {
            try {
                Files.delete(root.resolve(key));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
