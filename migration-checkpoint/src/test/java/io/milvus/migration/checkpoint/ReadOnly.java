package io.milvus.migration.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Makes files and directories really read-only for this process, for tests. As root (CI) permissions do not stop
 * writes, so the paths get the immutable attribute ({@code chattr +i}, ext4/xfs/btrfs); as another user they lose
 * their write permission. Fails loudly when neither works.
 */
public final class ReadOnly implements AutoCloseable {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private final Path[] paths;

    private ReadOnly(Path[] paths) {
        this.paths = paths;
    }

    public static ReadOnly of(Path... paths) throws IOException {
        for (Path p : paths) {
            if (ROOT) {
                chattr("+i", p);
            } else {
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? PosixFilePermissions.fromString("r-xr-xr-x")
                        : PosixFilePermissions.fromString("r--r--r--"));
            }
        }
        return new ReadOnly(paths);
    }

    @Override
    public void close() throws IOException {
        for (Path p : paths) {
            if (ROOT) {
                chattr("-i", p);
            } else {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                perms.add(PosixFilePermission.OWNER_WRITE);
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static void chattr(String flag, Path p) throws IOException {
        Process proc = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes());
        try {
            if (!proc.waitFor(10, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                throw new IllegalStateException("chattr " + flag + " " + p + " failed (" + out.strip() + "): the"
                        + " read-only tests need a file system with the immutable attribute when run as root");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
