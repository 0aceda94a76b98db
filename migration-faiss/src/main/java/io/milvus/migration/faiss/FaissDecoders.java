package io.milvus.migration.faiss;

import java.nio.ByteBuffer;

/**
 * The {@link FaissDecoder}s of this reader. Each mirrors what Faiss does when it reconstructs a vector (facts from
 * {@code faiss/impl/scalar_quantizer/codecs.h}, {@code quantizers.h}, {@code ProductQuantizer.h}), written anew.
 */
final class FaissDecoders {
    /** Scalar quantizer types, numbered as {@code ScalarQuantizer::QuantizerType}. */
    static final int QT_8BIT = 0;
    static final int QT_4BIT = 1;
    static final int QT_8BIT_UNIFORM = 2;
    static final int QT_4BIT_UNIFORM = 3;
    static final int QT_FP16 = 4;
    static final int QT_8BIT_DIRECT = 5;
    static final int QT_6BIT = 6;
    static final int QT_BF16 = 7;
    static final int QT_8BIT_DIRECT_SIGNED = 8;
    /** No code at all: an IVF index gives each row its list's centroid. */
    static final int QT_0BIT = 9;
    static final String[] QT_NAMES = {"QT_8bit", "QT_4bit", "QT_8bit_uniform", "QT_4bit_uniform", "QT_fp16",
        "QT_8bit_direct", "QT_6bit", "QT_bf16", "QT_8bit_direct_signed", "QT_0bit"};

    private FaissDecoders() {
    }

    /** Raw float32 vectors (IndexFlat, IndexIVFFlat). */
    static FaissDecoder floats(int d) {
        return new FaissDecoder() {
            @Override
            public int codeSize() {
                return d * Float.BYTES;
            }

            @Override
            public void decode(ByteBuffer codes, int n, int list, float[] out, int at) {
                codes.asFloatBuffer().get(out, at, n * d);
                codes.position(codes.position() + n * d * Float.BYTES);
            }

            @Override
            public boolean codesAreFloats() {
                return true;
            }
        };
    }

    /** Code bytes of a scalar quantizer type, or -1 if this reader does not decode that type. */
    static long sqCodeSize(int qtype, long d) {
        return switch (qtype) {
            case QT_8BIT, QT_8BIT_UNIFORM, QT_8BIT_DIRECT, QT_8BIT_DIRECT_SIGNED -> d;
            case QT_4BIT, QT_4BIT_UNIFORM -> (d + 1) / 2;
            case QT_6BIT -> (d * 6 + 7) / 8;
            case QT_FP16, QT_BF16 -> 2 * d;
            case QT_0BIT -> 0;
            default -> -1;
        };
    }

    /** Trained floats a scalar quantizer type keeps: a shared range, one range per component, or none. */
    static long sqTrainedSize(int qtype, long d) {
        return switch (qtype) {
            case QT_8BIT_UNIFORM, QT_4BIT_UNIFORM -> 2;
            case QT_8BIT, QT_4BIT, QT_6BIT -> 2 * d;
            default -> 0;
        };
    }

    /**
     * A scalar quantizer: {@code trained} holds {vmin, vdiff} (uniform types) or d vmins then d vdiffs. Faiss
     * computes {@code vmin + x × vdiff} in float. When the dimension is a multiple of 8, Faiss (faiss-cpu on x86-64
     * with AVX2 or later) picks its SIMD quantizer, whose copy of that code is compiled with FMA and contracted to
     * one fused multiply-add; other dimensions use the plain build: multiply, round, add, round. Both are checked
     * against Faiss's own output by the fixtures ({@code sq_8bit} and {@code sq_8bit_d32} among others).
     */
    static FaissDecoder scalar(int qtype, int d, float[] trained) {
        int codeSize = (int) sqCodeSize(qtype, d);
        boolean uniform = qtype == QT_8BIT_UNIFORM || qtype == QT_4BIT_UNIFORM;
        boolean fused = d % 8 == 0;
        return new FaissDecoder() {
            @Override
            public int codeSize() {
                return codeSize;
            }

            @Override
            public void decode(ByteBuffer codes, int n, int list, float[] out, int at) {
                int base = codes.position();
                for (int r = 0; r < n; r++, base += codeSize) {
                    for (int i = 0; i < d; i++) {
                        out[at++] = component(codes, base, i);
                    }
                }
                codes.position(base);
            }

            private float component(ByteBuffer c, int base, int i) {
                switch (qtype) {
                    case QT_FP16:
                        return halfToFloat(c.getShort(base + 2 * i));
                    case QT_BF16:
                        return Float.intBitsToFloat((c.getShort(base + 2 * i) & 0xffff) << 16);
                    case QT_8BIT_DIRECT:
                        return c.get(base + i) & 0xff;
                    case QT_8BIT_DIRECT_SIGNED:
                        return (c.get(base + i) & 0xff) - 128;
                    default:
                        break;
                }
                float x = switch (qtype) {
                    case QT_8BIT, QT_8BIT_UNIFORM -> ((c.get(base + i) & 0xff) + 0.5f) / 255.0f;
                    case QT_4BIT, QT_4BIT_UNIFORM ->
                            (((c.get(base + i / 2) & 0xff) >> ((i & 1) << 2) & 0xf) + 0.5f) / 15.0f;
                    default -> (sixBits(c, base + (i >> 2) * 3, i & 3) + 0.5f) / 63.0f;
                };
                float vmin = uniform ? trained[0] : trained[i];
                float vdiff = uniform ? trained[1] : trained[d + i];
                return fused ? Math.fma(x, vdiff, vmin) : vmin + x * vdiff;
            }
        };
    }

    /** Component {@code k} (0..3) of a group of four 6-bit values packed LSB-first into three bytes. */
    private static int sixBits(ByteBuffer c, int at, int k) {
        int b0 = c.get(at) & 0xff;
        return switch (k) {
            case 0 -> b0 & 0x3f;
            case 1 -> b0 >> 6 | (c.get(at + 1) & 0xf) << 2;
            case 2 -> (c.get(at + 1) & 0xff) >> 4 | (c.get(at + 2) & 3) << 4;
            default -> (c.get(at + 2) & 0xff) >> 2;
        };
    }

    /** IEEE 754 binary16 to float (exact: every half value is a float). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f; // subnormal: mant × 2^-24, exact
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
    }

    /** Product quantizer codes of {@code m} sub-quantizers of {@code nbits}, packed LSB-first. */
    static FaissDecoder product(int d, int m, int nbits, float[] centroids) {
        int codeSize = (m * nbits + 7) / 8;
        int dsub = d / m;
        int ksub = 1 << nbits;
        return new FaissDecoder() {
            @Override
            public int codeSize() {
                return codeSize;
            }

            @Override
            public void decode(ByteBuffer codes, int n, int list, float[] out, int at) {
                int base = codes.position();
                for (int r = 0; r < n; r++, base += codeSize) {
                    for (int s = 0; s < m; s++) {
                        int c = bits(codes, base, s * nbits);
                        System.arraycopy(centroids, (s * ksub + c) * dsub, out, at, dsub);
                        at += dsub;
                    }
                }
                codes.position(base);
            }

            private int bits(ByteBuffer codes, int base, int bit) {
                long word = 0;
                int first = bit >> 3;
                for (int k = 0; k < 4 && first + k < codeSize; k++) {
                    word |= (long) (codes.get(base + first + k) & 0xff) << (8 * k);
                }
                return (int) (word >>> (bit & 7)) & (ksub - 1);
            }
        };
    }

    /** Rows without codes (QT_0bit in an IVF index): each is its list's centroid, copied as is. */
    static FaissDecoder centroid(int d, float[] centroids) {
        return new FaissDecoder() {
            @Override
            public int codeSize() {
                return 0;
            }

            @Override
            public void decode(ByteBuffer codes, int n, int list, float[] out, int at) {
                for (int r = 0; r < n; r++, at += d) {
                    System.arraycopy(centroids, list * d, out, at, d);
                }
            }
        };
    }

    /** Codes of residuals: decodes with {@code inner}, then adds the list's centroid component by component. */
    static FaissDecoder residual(FaissDecoder inner, int d, float[] centroids) {
        return new FaissDecoder() {
            @Override
            public int codeSize() {
                return inner.codeSize();
            }

            @Override
            public void decode(ByteBuffer codes, int n, int list, float[] out, int at) {
                inner.decode(codes, n, list, out, at);
                int c = list * d;
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < d; i++) {
                        out[at++] += centroids[c + i];
                    }
                }
            }
        };
    }
}
