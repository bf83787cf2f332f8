package io.github.nmforacle.io;

import io.github.nmforacle.linalg.CsrMatrix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Tests' .npz files, written the way scipy's save_npz lays them out (no Python needed). */
public final class NpzFiles {
    private NpzFiles() {
    }

    /** A CSR matrix as scipy's save_npz would write it (float64 data, int32 indices). */
    public static Path write(Path p, CsrMatrix c) throws IOException {
        return write(p, "csr", new long[] {c.rows(), c.cols()}, f8(c.values()), i4(c.indices()), i4(c.indptr()));
    }

    /** An archive of the five members, each already an .npy byte string (see {@link #f8}, {@link #i4}). */
    public static Path write(Path p, String format, long[] shape, byte[] data, byte[] indices, byte[] indptr)
            throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("indices.npy", indices);
        members.put("indptr.npy", indptr);
        members.put("format.npy", npy("|S3", "()", format.getBytes(StandardCharsets.US_ASCII)));
        members.put("shape.npy", npy("<i8", "(2,)", longs(shape)));
        members.put("data.npy", data);
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return p;
    }

    public static byte[] npy(String descr, String shape, byte[] payload) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII)).put(payload);
        return b.array();
    }

    public static byte[] f8(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return npy("<f8", "(" + v.length + ",)", b.array());
    }

    public static byte[] i4(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return npy("<i4", "(" + v.length + ",)", b.array());
    }

    public static byte[] i8(long... v) {
        return npy("<i8", "(" + v.length + ",)", longs(v));
    }

    private static byte[] longs(long[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }
}
