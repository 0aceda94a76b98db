package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the NPY 1.0 files the writer produces, checking the header the way numpy parses it. */
record Npy(String descr, long rows, int width, ByteBuffer data) {
    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '([^']+)', 'fortran_order': False, 'shape': \\((\\d+),( (\\d+))?\\), \\} *\n");

    static Npy read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        assertThat(magic).as("%s magic and version 1.0", file)
                .containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
        int headerLength = Short.toUnsignedInt(b.getShort());
        assertThat((10 + headerLength) % 64).as("%s total header size is a multiple of 64", file).isZero();
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        assertThat(m.matches()).as("%s header %s", file, header).isTrue();
        long rows = Long.parseLong(m.group(2));
        int width = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        int itemBytes = switch (m.group(1)) {
            case "<i8" -> 8;
            case "<f4" -> 4;
            case "|u1" -> 1;
            default -> throw new AssertionError("unexpected descr " + m.group(1));
        };
        long rowBytes = (long) itemBytes * Math.max(1, width);
        assertThat((long) bytes.length - 10 - headerLength).as("%s data length", file).isEqualTo(rows * rowBytes);
        return new Npy(m.group(1), rows, width, b.position(10 + headerLength).slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    long[] longs() {
        assertThat(descr).isEqualTo("<i8");
        assertThat(width).isZero();
        long[] v = new long[(int) rows];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
        return v;
    }

    float[] floats() {
        assertThat(descr).isEqualTo("<f4");
        float[] v = new float[(int) rows * width];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
