package io.milvus.migration.faiss;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Faiss index files written by real Faiss ({@code scripts/faiss-fixtures.sh}), with the vectors Faiss's own
 * {@code reconstruct} returns for each id. Written once per JVM into a temporary directory, or taken from the
 * directory in {@code FAISS_FIXTURES} if set. Fails loudly if Faiss cannot be installed or run.
 *
 * <p>The Faiss release is the pinned current one, or Faiss 1.7.x when the system property
 * {@code faiss.fixtures.version} (or the environment variable {@code FAISS_VERSION}) is {@code 1.7}: older files
 * differ in places and must read as well. Fixtures that need a newer Faiss are then left out.
 */
public final class FaissFixtures {
    private static Path dir;

    private FaissFixtures() {
    }

    /** The directory holding {@code NAME.index} and {@code NAME.expected} for every fixture. */
    public static synchronized Path dir() {
        if (dir == null) {
            String given = System.getenv("FAISS_FIXTURES");
            try {
                Path d = given != null ? Path.of(given) : write();
                String wrote = Files.readString(d.resolve("faiss-version.txt")).trim();
                if (olderFaiss() != wrote.startsWith("1.7.")) {
                    throw new IllegalStateException("Faiss fixtures in " + d + " were written by Faiss " + wrote
                            + ", but Faiss version '" + version() + "' was asked for");
                }
                dir = d;
            } catch (IOException e) {
                throw new IllegalStateException("cannot write Faiss fixtures", e);
            }
        }
        return dir;
    }

    /** {@code 1.7} for Faiss 1.7.x fixtures, else {@code current}. */
    public static String version() {
        String v = System.getProperty("faiss.fixtures.version", System.getenv("FAISS_VERSION"));
        return v == null || v.isEmpty() ? "current" : v;
    }

    /** Whether the fixtures come from Faiss 1.7.x, which cannot write a few of them (bf16, 0-bit SQ, ...). */
    public static boolean olderFaiss() {
        return version().equals("1.7");
    }

    /** The index file of a fixture. */
    public static Path index(String name) {
        return dir().resolve(name + ".index");
    }

    /** What Faiss reconstructs for a fixture: id to vector, in storage order. */
    public static Expected expected(String name) {
        try {
            ByteBuffer b = expectedFile(name);
            int kind = b.getInt();
            int dim = b.getInt();
            long metric = b.getLong();
            long n = b.getLong();
            var rows = new LinkedHashMap<Long, float[]>();
            for (long i = 0; i < n; i++) {
                long id = b.getLong();
                float[] v = new float[dim];
                b.asFloatBuffer().get(v);
                b.position(b.position() + dim * Float.BYTES);
                if (rows.put(id, v) != null) {
                    throw new IllegalStateException(name + ".expected has id " + id + " twice");
                }
            }
            if (kind != 0) {
                throw new IllegalStateException(name + ": binary fixtures are not read here yet");
            }
            return new Expected(dim, metric == 0 ? "IP" : "L2", rows);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read expected vectors of " + name, e);
        }
    }

    /**
     * What Faiss reconstructs for a binary fixture ({@code .expected} kind 1): id to its dim/8 uint8 codes, in
     * storage order. Fails for a float fixture.
     */
    public static Map<Long, byte[]> expectedBinary(String name) {
        try {
            ByteBuffer b = expectedFile(name);
            if (b.getInt() != 1) {
                throw new IllegalStateException(name + " is not a binary fixture");
            }
            int bits = b.getInt();
            b.getLong(); // metric: -1 for binary fixtures
            long n = b.getLong();
            var rows = new LinkedHashMap<Long, byte[]>();
            for (long i = 0; i < n; i++) {
                long id = b.getLong();
                byte[] v = new byte[bits / 8];
                b.get(v);
                if (rows.put(id, v) != null) {
                    throw new IllegalStateException(name + ".expected has id " + id + " twice");
                }
            }
            if (b.hasRemaining()) {
                throw new IllegalStateException(name + ".expected has " + b.remaining() + " trailing bytes");
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read expected codes of " + name, e);
        }
    }

    /** A fixture's {@code .expected} file, positioned after its magic and version (then: kind, dim, ...). */
    private static ByteBuffer expectedFile(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir().resolve(name + ".expected")))
                .order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        b.get(magic);
        if (!"FXEX".equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII)) || b.getInt() != 1) {
            throw new IllegalStateException(name + ".expected has an unknown format");
        }
        return b;
    }

    /** Faiss's own output for one fixture. */
    public record Expected(int dimension, String metric, Map<Long, float[]> rows) {
        /** Whether {@code vector} has exactly the bits Faiss gave for {@code id}. */
        public boolean sameBits(long id, float[] vector) {
            float[] want = rows.get(id);
            if (want == null || want.length != vector.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(vector[i])) {
                    return false;
                }
            }
            return true;
        }

        /** Whether every component of {@code vector} is within {@code tolerance} of Faiss's for {@code id}. */
        public boolean closeTo(long id, float[] vector, float tolerance) {
            float[] want = rows.get(id);
            if (want == null || want.length != vector.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(want[i] - vector[i]) <= tolerance)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "Expected[dim=" + dimension + ", metric=" + metric + ", rows=" + rows.size() + "]";
        }
    }

    private static Path write() throws IOException {
        Path repo = repoRoot();
        Path out = Files.createTempDirectory("faiss-fixtures-");
        var pb = new ProcessBuilder("bash", repo.resolve("scripts/faiss-fixtures.sh").toString(), out.toString())
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("fixtures.log").toFile());
        pb.environment().put("FAISS_VERSION", version());
        try {
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("scripts/faiss-fixtures.sh failed; its output:\n"
                        + Files.readString(out.resolve("fixtures.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing Faiss fixtures", e);
        }
        return out;
    }

    /** The repository root: the nearest directory upwards holding scripts/faiss-fixtures.sh. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/faiss-fixtures.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find scripts/faiss-fixtures.sh above " + Path.of("")
                    .toAbsolutePath());
        }
        return p;
    }
}
