package io.github.nmforacle.spark;

import io.github.nmforacle.problem.DataBackend;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * {@link DataBackend} over a {@link BlockedMatrix}: each block function is one Spark job over the row blocks, its
 * results collected and combined on the driver in block order (by first row), so results do not depend on task
 * timing. V never comes to the driver whole; {@link #sha256} streams it one block at a time.
 */
public final class SparkDataBackend implements DataBackend {
    private final BlockedMatrix v;

    public SparkDataBackend(BlockedMatrix v) {
        this.v = v;
    }

    @Override
    public int rows() {
        return v.n();
    }

    @Override
    public int cols() {
        return v.m();
    }

    @Override
    public int blocks() {
        return v.count();
    }

    private List<double[]> run(BlockFunction f) {
        List<Tuple2<Integer, double[]>> parts = new ArrayList<>(v.blocks()
                .map(b -> new Tuple2<>(b.firstRow(), f.apply(b.dense(), b.firstRow()))).collect());
        parts.sort(Comparator.comparing(Tuple2::_1));
        List<double[]> out = new ArrayList<>(parts.size());
        for (Tuple2<Integer, double[]> t : parts) {
            out.add(t._2());
        }
        return out;
    }

    @Override
    public double[] sum(BlockFunction f, int len) {
        double[] s = null;
        for (double[] part : run(f)) {
            if (part.length != len) {
                throw new IllegalStateException("block function returned " + part.length + " values, expected " + len);
            }
            if (s == null) {
                s = part.clone();
            } else {
                for (int i = 0; i < len; i++) {
                    s[i] += part[i];
                }
            }
        }
        return s == null ? new double[len] : s;
    }

    @Override
    public double[] concat(BlockFunction f) {
        List<double[]> parts = run(f);
        int len = 0;
        for (double[] p : parts) {
            len += p.length;
        }
        double[] out = new double[len];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The digest of Certificate.Provenance.sha256 (rows, cols, entries row-major, big-endian), block by block. */
    @Override
    public String sha256() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(ByteBuffer.allocate(16).putLong(v.n()).putLong(v.m()).array());
        int next = 0;
        // toLocalIterator visits the partitions in order, and partition b holds block b
        for (Iterator<RowBlock> it = v.blocks().toLocalIterator(); it.hasNext(); ) {
            RowBlock b = it.next();
            if (b.firstRow() != next) {
                throw new IllegalStateException("row blocks out of order: block at row " + b.firstRow() + ", expected " + next);
            }
            double[] d = b.dense().data();
            ByteBuffer buf = ByteBuffer.allocate(8 * d.length);
            for (double x : d) {
                buf.putDouble(x);
            }
            md.update(buf.array());
            next += b.rows();
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
