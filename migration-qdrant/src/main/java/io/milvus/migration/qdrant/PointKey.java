package io.milvus.migration.qdrant;

import io.qdrant.client.grpc.Common.PointId;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Qdrant point id as plain text ({@code n:<unsigned decimal>} or {@code u:<uuid>}), the form split boundaries and
 * position cursors hold, and the order Qdrant scrolls in: every numeric id (unsigned) before every UUID, UUIDs by
 * their bytes, which is the order of their lower-case canonical text.
 */
final class PointKey implements Comparable<PointKey> {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final boolean numeric;
    private final long num;
    private final String uuid;

    private PointKey(boolean numeric, long num, String uuid) {
        this.numeric = numeric;
        this.num = num;
        this.uuid = uuid;
    }

    static PointKey num(long unsigned) {
        return new PointKey(true, unsigned, null);
    }

    static PointKey uuid(String text) {
        String u = text.toLowerCase(Locale.ROOT);
        if (!UUID.matcher(u).matches()) {
            throw new IllegalArgumentException("not a UUID: " + text);
        }
        return new PointKey(false, 0, u);
    }

    /** The id of a point as the server sent it. */
    static PointKey of(PointId id) {
        return switch (id.getPointIdOptionsCase()) {
            case NUM -> num(id.getNum());
            case UUID -> uuid(id.getUuid());
            default -> throw new IllegalArgumentException("point id without a value");
        };
    }

    /**
     * Reads {@link #toString()}'s form.
     *
     * @throws IllegalArgumentException if {@code text} is not such a form
     */
    static PointKey parse(String text) {
        if (text.startsWith("n:")) {
            try {
                return num(Long.parseUnsignedLong(text.substring(2)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a point id: " + text);
            }
        }
        if (text.startsWith("u:")) {
            return uuid(text.substring(2));
        }
        throw new IllegalArgumentException("not a point id: " + text);
    }

    PointId toPointId() {
        return numeric ? PointId.newBuilder().setNum(num).build() : PointId.newBuilder().setUuid(uuid).build();
    }

    boolean numeric() {
        return numeric;
    }

    /** The numeric id (unsigned); for numeric keys only. */
    long num() {
        return num;
    }

    /** The id as a Milvus VARCHAR key holds it: the unsigned decimal number or the canonical UUID. */
    String keyText() {
        return numeric ? Long.toUnsignedString(num) : uuid;
    }

    @Override
    public int compareTo(PointKey o) {
        if (numeric != o.numeric) {
            return numeric ? -1 : 1;
        }
        return numeric ? Long.compareUnsigned(num, o.num) : uuid.compareTo(o.uuid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PointKey k && compareTo(k) == 0;
    }

    @Override
    public int hashCode() {
        return numeric ? Long.hashCode(num) : uuid.hashCode();
    }

    @Override
    public String toString() {
        return numeric ? "n:" + Long.toUnsignedString(num) : "u:" + uuid;
    }
}
