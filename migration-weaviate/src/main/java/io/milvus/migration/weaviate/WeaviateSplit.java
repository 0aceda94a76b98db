package io.milvus.migration.weaviate;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Split;

/**
 * The objects of one class (and tenant) whose uuids start in {@code [lo, hi)}, read in uuid order. The range is cut
 * on the uuid's first 32 bits, so {@code lo} and {@code hi} are in {@code [0, 2^32]}. Plain data.
 *
 * @param id            the split id: {@code <class>[/<tenant>]/<lo as 8 hex digits>}
 * @param className     the Weaviate class
 * @param tenant        the tenant of a multi-tenant class; "" for a class without tenants
 * @param lo            the first uuid prefix of the range
 * @param hi            the first uuid prefix after the range
 * @param estimatedRows the class's (tenant's) count spread evenly over its ranges
 */
record WeaviateSplit(String id, String className, String tenant, long lo, long hi, long estimatedRows)
        implements Split {
    static final long END = 1L << 32;

    WeaviateSplit {
        requireNonNull(id, "id is null");
        requireNonNull(className, "className is null");
        requireNonNull(tenant, "tenant is null");
        if (lo < 0 || lo >= hi || hi > END) {
            throw new IllegalArgumentException("uuid prefix range [" + lo + ", " + hi + ") is invalid");
        }
    }

    /** The tenant goes into the Milvus partition of its name. */
    @Override
    public String partition() {
        return tenant;
    }

    /** Whether a uuid (lower-case, as Weaviate serves it) lies in this range. */
    boolean contains(String uuid) {
        long p = prefix(uuid);
        return p >= lo && p < hi;
    }

    /** The {@code after} cursor that starts this range: the greatest uuid before it, "" for the very first. */
    String start() {
        return lo == 0 ? "" : String.format("%08x-ffff-ffff-ffff-ffffffffffff", lo - 1);
    }

    static long prefix(String uuid) {
        if (uuid.length() != 36 || uuid.charAt(8) != '-') {
            throw new IllegalArgumentException("not a uuid: " + uuid);
        }
        return Long.parseLong(uuid.substring(0, 8), 16);
    }
}
