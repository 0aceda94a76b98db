package io.milvus.migration.faiss;

import java.nio.ByteBuffer;

/**
 * Turns the stored codes of a Faiss index into float vectors, with the same float arithmetic as Faiss's
 * {@code reconstruct}. Implementations are immutable (they hold only trained tables) and shared by split readers.
 */
interface FaissDecoder {
    /** Bytes of one stored code. */
    int codeSize();

    /**
     * Decodes {@code n} consecutive codes starting at {@code codes.position()} (little-endian buffer) into
     * {@code out[at .. at + n × dimension)}; {@code list} is the inverted list the codes belong to (-1 outside IVF).
     */
    void decode(ByteBuffer codes, int n, int list, float[] out, int at);

    /** Whether the codes are the vectors themselves (little-endian float32), so they can be copied unchanged. */
    default boolean codesAreFloats() {
        return false;
    }
}
