#!/usr/bin/env python3
"""Paired per-iteration A/B of nmf-oracle builds: interleaved fresh JVMs, the median step of each run's trace.

usage: ab_per_iteration.py ROUNDS V.npy RANK ALG[,ALG...] JAR [JAR...]
  ALG may be ALG@java or ALG@native (--blas); default --blas auto.
  A JAR may carry JVM options after '%' and CLI options after '#', e.g. 'b.jar%-Dx=1#--threads 1'.
  ITERS (environment, default 1000): --max-iter. Steps before iteration 11 are left out (start-up).
Prints, per algorithm and jar, the median over rounds of the median step (ms) and the median over rounds of the
ratio to the first jar's step in the same round.
"""
import csv
import os
import statistics
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) < 6:
        sys.exit(__doc__)
    rounds, v, rank, algs, jars = int(argv[1]), argv[2], argv[3], argv[4].split(','), argv[5:]
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, 'trace.csv')
        for _ in range(rounds):
            for alg in algs:
                name, _, blas = alg.partition('@')
                for j in jars:
                    spec, _, cli = j.partition('#')
                    jar, *jvm = spec.split('%')
                    cmd = ['java', *jvm, '-jar', jar, 'solve', '--input', v, '--rank', rank, '--algorithm', name,
                           '--max-iter', os.environ.get('ITERS', '1000'), '--tol', '0', '--trace', trace, '-q',
                           '--blas', blas or 'auto', *cli.split()]
                    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                    s = [float(row['seconds']) for row in csv.DictReader(open(trace))]
                    res.setdefault((alg, j), []).append(statistics.median(s[i] - s[i - 1] for i in range(11, len(s))) * 1e3)
    for alg in algs:
        base = res[(alg, jars[0])]
        print(alg, '  '.join('%s %.3f ms (x%.3f; rounds %s)' % (
            os.path.basename(j), statistics.median(res[(alg, j)]),
            statistics.median(b / a for a, b in zip(base, res[(alg, j)])),
            ' '.join('%.3f' % x for x in res[(alg, j)])) for j in jars))


if __name__ == '__main__':
    main(sys.argv)
