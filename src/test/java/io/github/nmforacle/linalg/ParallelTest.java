package io.github.nmforacle.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The block runner the reproducibility of every product rests on: each block once, errors and nesting. */
class ParallelTest {

    /** Each block of [0, n) runs exactly once, with the bounds blockCount implies, for any thread count. */
    @Property(tries = 60)
    void everyBlockRunsExactlyOnceWithItsBounds(@ForAll @IntRange(min = 0, max = 5000) int n,
                                                @ForAll @IntRange(min = 1, max = 700) int blockSize,
                                                @ForAll @IntRange(min = 1, max = 6) int threads) {
        try (Parallel par = Parallel.withThreads(threads)) {
            for (int round = 0; round < 3; round++) {   // the pool is reused between calls
                int blocks = Parallel.blockCount(n, blockSize);
                AtomicIntegerArray runs = new AtomicIntegerArray(blocks);
                int[] seen = new int[n];
                par.forBlocks(n, blockSize, (b, from, to) -> {
                    runs.incrementAndGet(b);
                    assertThat(from).isEqualTo(b * blockSize);
                    assertThat(to).isEqualTo(Math.min(n, from + blockSize));
                    for (int i = from; i < to; i++) {
                        seen[i]++;   // plain writes: visible to the caller once forBlocks returns
                    }
                });
                for (int b = 0; b < blocks; b++) {
                    assertThat(runs.get(b)).as("runs of block %d", b).isEqualTo(1);
                }
                for (int i = 0; i < n; i++) {
                    assertThat(seen[i]).as("item %d", i).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void blocksRunOnHelperThreadsAsWellAsTheCaller() throws InterruptedException {
        try (Parallel par = Parallel.withThreads(2)) {
            ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();
            CountDownLatch both = new CountDownLatch(2);
            // two blocks that each wait for the other: finishes only if two threads run them at once
            par.forBlocks(2, 1, (b, from, to) -> {
                names.put(Thread.currentThread().getName(), Thread.currentThread().isDaemon());
                both.countDown();
                try {
                    assertThat(both.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(names).hasSize(2).containsKey(Thread.currentThread().getName());
            names.forEach((name, daemon) -> {
                if (!name.equals(Thread.currentThread().getName())) {
                    assertThat(name).startsWith("nmf-oracle-parallel-");
                    assertThat(daemon).isTrue();
                }
            });
        }
    }

    @Test
    void theFirstErrorOfABlockReachesTheCallerAndThePoolStillWorks() {
        try (Parallel par = Parallel.withThreads(3)) {
            IllegalArgumentException boom = new IllegalArgumentException("block 5 failed");
            assertThatThrownBy(() -> par.forBlocks(100, 10, (b, from, to) -> {
                if (b == 5) {
                    throw boom;
                }
            })).isSameAs(boom);
            AtomicInteger count = new AtomicInteger();
            par.forBlocks(100, 10, (b, from, to) -> count.incrementAndGet());
            assertThat(count.get()).isEqualTo(10);
        }
    }

    @Test
    void aNestedCallInsideABlockRunsAllItsBlocks() {
        try (Parallel par = Parallel.withThreads(2)) {
            AtomicInteger inner = new AtomicInteger();
            par.forBlocks(8, 1, (b, from, to) -> par.forBlocks(50, 7, (c, f, t) -> inner.addAndGet(t - f)));
            assertThat(inner.get()).isEqualTo(8 * 50);
        }
    }

    @Test
    void callersOnSeveralThreadsShareOnePool() throws InterruptedException {
        try (Parallel par = Parallel.withThreads(2)) {
            List<Thread> callers = new ArrayList<>();
            AtomicInteger wrong = new AtomicInteger();
            for (int c = 0; c < 4; c++) {
                Thread t = new Thread(() -> {
                    for (int k = 0; k < 200; k++) {
                        long[] sums = new long[13];
                        par.forBlocks(1000, 77, (b, from, to) -> {
                            long s = 0;
                            for (int i = from; i < to; i++) {
                                s += i;
                            }
                            sums[b] = s;
                        });
                        long total = 0;
                        for (long s : sums) {
                            total += s;
                        }
                        if (total != 999L * 1000 / 2) {
                            wrong.incrementAndGet();
                        }
                    }
                });
                callers.add(t);
                t.start();
            }
            for (Thread t : callers) {
                t.join(60_000);
                assertThat(t.isAlive()).isFalse();
            }
            assertThat(wrong.get()).isZero();
        }
    }

    @Test
    void aClosedPoolStillRunsEveryBlockInTheCaller() {
        Parallel par = Parallel.withThreads(4);
        par.forBlocks(10, 1, (b, from, to) -> { });
        par.close();
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        par.forBlocks(10, 1, (b, from, to) -> runs.incrementAndGet(b));
        for (int b = 0; b < 10; b++) {
            assertThat(runs.get(b)).isEqualTo(1);
        }
    }
}
