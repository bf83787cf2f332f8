#!/usr/bin/env python3
"""Speed of nmf-oracle against scikit-learn's NMF, side by side, on the same .npy inputs, in one run.

Not part of the test suite. Downloads nothing: the digits data ship with scikit-learn (Debian's python3-sklearn).
Usually started through run.sh, which checks the prerequisites; see README.md in this folder.

  compare.py --out DIR --jar JAR [--cases planted-500x400,planted-2000x2000,digits]
             [--algorithms mwu-adaptive,mu,hals,mwu-adaptive@native]
             [--time-cap SECONDS] [--java-threads T] [--blas-threads T] [--per-iteration-rounds N]

For every case (V, r):
  scikit-learn  solver 'mu' and 'cd', init='random', random_state=0, tol=0, beta_loss='frobenius', no regularisation.
    per iteration: fits with max_iter=K after a warm-up fit, median of time / K over 3 fits (ConvergenceWarning
    suppressed);
    to the target: doubling search on max_iter (1, 2, 4, ...; every run restarts from the same init, because
    scikit-learn has no per-iteration trace); the time of the first run whose ||V - WH||_F / ||V||_F <= target.
  nmf-oracle    java -jar JAR solve --input V.npy --rank r --algorithm A [--blas B] --max-iter N --tol 0 --trace trace.csv -q
                (A@B in --algorithms: e.g. mwu-adaptive@native uses the system BLAS, the library numpy uses)
    per iteration: median of the differences of the trace's seconds column, skipping the first 10 rows;
    to the target: seconds of the first trace row with relative_error <= target.
Targets: 1% relative error on the planted cases (V = W0 H0, W0 and H0 uniform in [0, 1), numpy RandomState(seed));
digits: 1.01 x the best relative error scikit-learn's 'cd' reaches (max_iter 5000, tol 0).
Writes DIR/results.csv and DIR/meta.json and prints the table (ratios are nmf-oracle / scikit-learn mu).
"""
import argparse, csv, datetime, json, os, platform, statistics, subprocess, sys, time, warnings

CASES = {
    # name: (kind, n, m, r, K for the per-iteration timing)
    'planted-500x400': ('planted', 500, 400, 10, 1000),
    'planted-2000x2000': ('planted', 2000, 2000, 20, 200),
    'digits': ('digits', 1797, 64, 16, 1000),
}
SEEDS = {'planted-500x400': 1, 'planted-2000x2000': 2}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def machine(jar_java):
    info = {'date': datetime.datetime.now().astimezone().isoformat(timespec='seconds'), 'nproc': os.cpu_count(),
            'platform': platform.platform(), 'loadavg_start': os.getloadavg()}
    try:
        with open('/proc/cpuinfo') as f:
            models = [l.split(':', 1)[1].strip() for l in f if l.startswith('model name')]
        info['cpu'] = models[0] if models else '?'
    except OSError:
        info['cpu'] = '?'
    try:
        with open('/proc/meminfo') as f:
            info['memory'] = f.readline().split(':', 1)[1].strip()
    except OSError:
        pass
    p = subprocess.run([jar_java, '-version'], capture_output=True, text=True)
    info['java'] = (p.stderr or p.stdout).splitlines()[0] if (p.stderr or p.stdout) else '?'
    import numpy, sklearn
    info['python'] = platform.python_version()
    info['numpy'] = numpy.__version__
    info['sklearn'] = sklearn.__version__
    info['env'] = {k: os.environ.get(k) for k in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS')}
    try:
        from threadpoolctl import threadpool_info
        info['threadpools'] = [{k: d.get(k) for k in ('internal_api', 'version', 'num_threads', 'threading_layer')}
                               for d in threadpool_info()]
    except Exception as e:  # threadpoolctl is a scikit-learn dependency; be robust anyway
        info['threadpools'] = 'unknown (%s)' % e
    return info


def make_input(name, out):
    import numpy as np
    kind, n, m, r, _ = CASES[name]
    if kind == 'planted':
        rng = np.random.RandomState(SEEDS[name])
        W0, H0 = rng.rand(n, r), rng.rand(r, m)
        V = W0 @ H0
    else:
        from sklearn.datasets import load_digits   # reads a file inside the package; no download
        V = load_digits().data.astype(np.float64)
    V = np.ascontiguousarray(V, dtype=np.float64)
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, 'V.npy')
    np.save(path, V)
    return V, r, path


def sk_start(V, r):
    """scikit-learn's own init='random', random_state=0 start (W0, H0), the one its fits below begin from."""
    from sklearn.decomposition._nmf import _initialize_nmf
    return _initialize_nmf(V, r, init='random', random_state=0)


def sk_fit(V, r, solver, max_iter, start=None):
    """One fit from init='random', random_state=0; with start=(W0, H0), from that start (init='custom')."""
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    model = NMF(n_components=r, init='random' if start is None else 'custom', solver=solver, beta_loss='frobenius',
                tol=0, max_iter=max_iter, random_state=0, alpha_W=0.0, alpha_H='same')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        t0 = time.perf_counter()
        W = model.fit_transform(V) if start is None else model.fit_transform(V, W=start[0].copy(), H=start[1].copy())
        seconds = time.perf_counter() - t0
    H = model.components_
    err = float(np.linalg.norm(V - W @ H) / np.linalg.norm(V))
    return seconds, int(model.n_iter_), err


def sk_per_iteration(V, r, solver, k, repeats=3, start=None):
    """Median over `repeats` fits with max_iter=k of time / n_iter (after a warm-up fit)."""
    sk_fit(V, r, solver, 2, start)  # warm-up (imports, BLAS threads)
    per = []
    for _ in range(repeats):
        seconds, iters, err = sk_fit(V, r, solver, k, start)
        per.append(seconds / iters)
    return statistics.median(per), iters, err


def sk_to_target(V, r, solver, target, time_cap, max_iter_cap):
    """Doubling search: the first max_iter in 1, 2, 4, ... whose run reaches the target."""
    k, spent, last = 1, 0.0, None
    while k <= max_iter_cap:
        seconds, iters, err = sk_fit(V, r, solver, k)
        spent += seconds
        last = (k, seconds, err)
        log('  sklearn %-3s max_iter=%-6d %8.3f s  rel.err %.4e' % (solver, k, seconds, err))
        if err <= target:
            return {'reached': True, 'max_iter': k, 'seconds': seconds, 'error': err, 'search_seconds': spent}
        if seconds > time_cap or spent > 2 * time_cap:
            break
        k *= 2
    return {'reached': False, 'max_iter': last[0], 'seconds': last[1], 'error': last[2], 'search_seconds': spent}


def solve_args(algorithm):
    """'ALG' or 'ALG@BLAS' (BLAS: java, native, auto) -> solve's --algorithm/--blas arguments."""
    alg, _, blas = algorithm.partition('@')
    # plain ALG means the Java kernels: solve's default became auto (native where it loads) on 2026-12-01
    return ['--algorithm', alg, '--blas', blas or 'java']


def java_run(jar, java, v_path, r, algorithm, max_iter, time_limit, trace, threads, start_paths=None):
    cmd = [java, '-jar', jar, 'solve', '--input', v_path, '--rank', str(r)] + solve_args(algorithm) + [
           '--max-iter', str(max_iter), '--tol', '0', '--trace', trace, '-q']
    if start_paths:
        cmd += ['--init-w', start_paths[0], '--init-h', start_paths[1]]
    if time_limit:
        cmd += ['--time-limit', str(time_limit)]
    if threads is not None:
        cmd += ['--threads', str(threads)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        return None, (p.stderr.strip() or p.stdout.strip()).splitlines()[:1], wall
    rows = []
    with open(trace) as f:
        for row in csv.DictReader(f):
            rows.append((int(row['iteration']), float(row['relative_error']), float(row['seconds'])))
    return rows, p.stdout.strip(), wall


def registered(jar, java, algorithm, out):
    """Whether this jar knows the algorithm: try it on a tiny matrix (exit 0), instead of parsing the help text."""
    import numpy as np
    probe = os.path.join(out, 'probe-V.npy')
    np.save(probe, np.arange(1.0, 13.0).reshape(4, 3))
    p = subprocess.run([java, '-jar', jar, 'solve', '--input', probe, '--rank', '1'] + solve_args(algorithm) +
                       ['--max-iter', '1', '-q'], capture_output=True, text=True)
    return p.returncode == 0, (p.stderr.strip() or p.stdout.strip()).splitlines()[:1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--jar', required=True)
    ap.add_argument('--java', default='java')
    ap.add_argument('--cases', default=','.join(CASES))
    ap.add_argument('--algorithms', default='mwu-adaptive,mu,hals,mwu-adaptive@native',
                    help='nmf-oracle algorithms; ALG@native runs ALG with --blas native (skipped where it cannot load)')
    ap.add_argument('--time-cap', type=float, default=600.0,
                    help='seconds allowed per method and case for reaching the target (default 600)')
    ap.add_argument('--max-iter-cap', type=int, default=1000000)
    ap.add_argument('--java-threads', type=int, default=None, help='nmf-oracle --threads (default: its own, all cores)')
    ap.add_argument('--blas-threads', type=int, default=None,
                    help='limit numpy/scikit-learn BLAS and OpenMP threads (threadpoolctl); default: as the environment says')
    ap.add_argument('--per-iteration-rounds', type=int, default=0, metavar='N',
                    help='instead of the full comparison: only the time per iteration, all methods interleaved, N rounds'
                         ' (medians; less sensitive to other load on the machine); writes per_iteration.csv')
    ap.add_argument('--same-start', action='store_true',
                    help='with --per-iteration-rounds: every method starts from scikit-learn\'s init=\'random\','
                         ' random_state=0 start (ours by --init-w/--init-h), so that all follow comparable trajectories'
                         ' (the number of subnormal entries they meet, which slow every product, depends on the start)')
    a = ap.parse_args()
    import numpy as np
    os.makedirs(a.out, exist_ok=True)
    limiter = None
    if a.blas_threads:
        from threadpoolctl import threadpool_limits
        limiter = threadpool_limits(limits=a.blas_threads)
    meta = machine(a.java)
    meta['blas_threads_option'] = a.blas_threads
    meta['java_threads_option'] = a.java_threads
    meta['same_start'] = a.same_start
    algorithms = []
    for alg in a.algorithms.split(','):
        ok, why = registered(a.jar, a.java, alg, a.out)
        if ok:
            algorithms.append(alg)
        else:
            log('nmf-oracle: algorithm %s is not available in this jar (%s); skipped' % (alg, ' '.join(why)))
            meta.setdefault('skipped', []).append('%s: %s' % (alg, ' '.join(why)))
    if a.per_iteration_rounds > 0:
        return per_iteration_rounds(a, algorithms, meta)
    results = []
    for name in a.cases.split(','):
        if name not in CASES:
            log('unknown case %s (known: %s)' % (name, ', '.join(CASES)))
            return 2
        V, r, v_path = make_input(name, a.out)
        kind, n, m, _, k = CASES[name]
        log('== %s: %dx%d, r=%d' % (name, n, m, r))
        if kind == 'planted':
            target, target_text = 0.01, '0.01'
        else:
            _, _, best = sk_fit(V, r, 'cd', 5000)
            target, target_text = 1.01 * best, '1.01 x cd best (%.6f) = %.6f' % (best, 1.01 * best)
        log('   target relative error %s' % target_text)
        for solver in ('mu', 'cd'):
            load = os.getloadavg()[0]
            per, iters, err_k = sk_per_iteration(V, r, solver, k)
            log('  sklearn %-3s per iteration %.3f ms (K=%d, rel.err %.4e)' % (solver, per * 1e3, iters, err_k))
            tt = sk_to_target(V, r, solver, target, a.time_cap, a.max_iter_cap)
            results.append({'case': name, 'n': n, 'm': m, 'r': r, 'tool': 'scikit-learn', 'method': solver, 'load1': load,
                            'per_iter_ms': per * 1e3, 'per_iter_K': iters, 'target': target,
                            'reached': tt['reached'], 'iterations_to_target': tt['max_iter'] if tt['reached'] else None,
                            'seconds_to_target': tt['seconds'] if tt['reached'] else None,
                            'error_at_stop': tt['error'], 'search_seconds': tt['search_seconds'],
                            'note': 'doubling search: max_iter %d reached, %d did not (each run restarts from the same init)' % (tt['max_iter'], tt['max_iter'] // 2)
                                    if tt['reached'] else 'not reached: last run max_iter=%d in %.1f s' % (tt['max_iter'], tt['seconds'])})
        for alg in algorithms:
            load = os.getloadavg()[0]
            # First run: K iterations (the per-iteration time). If the target is not in its trace, run again from the
            # same start with 4x the iterations (the trace's seconds are from the run's own start, so the time to the
            # target is exact whatever the budget), until the iteration cap; all runs together get the time cap.
            budget, per, hit, rows, summary, runs_spent = k, None, None, None, '', 0.0
            furthest = None  # (rows, summary) of the run that got furthest: a run cut short by the time left is worse
            while True:
                # the whole chain of runs gets the time cap: each run is limited to what is left of it
                left = max(5.0, a.time_cap - runs_spent)
                trace = os.path.join(a.out, name, 'trace-%s-%d.csv' % (alg, budget))
                rows, summary, wall = java_run(a.jar, a.java, v_path, r, alg, budget, left, trace, a.java_threads)
                runs_spent += wall
                if rows is None:
                    break
                if furthest is not None and rows[-1][0] <= furthest[0][-1][0]:
                    rows, summary = furthest
                    log('  nmf-oracle %-12s max-iter %-7d cut short by the time cap; keeping the previous run' % (alg, budget))
                    break
                furthest = (rows, summary)
                if per is None:
                    diffs = [rows[i][2] - rows[i - 1][2] for i in range(11, len(rows))]
                    per = statistics.median(diffs) if diffs else float('nan')
                hit = next((row for row in rows[1:] if row[1] <= target), None)
                log('  nmf-oracle %-12s max-iter %-7d %s' % (alg, budget, summary))
                if hit or rows[-1][0] < budget or budget >= a.max_iter_cap or a.time_cap - runs_spent < wall:
                    break  # reached, or stopped early (time limit, solver), or out of iterations, or the time left
                           # is shorter than this run took (the next run could not get further)
                budget = min(4 * budget, a.max_iter_cap)
            if rows is None:
                log('  nmf-oracle %s failed: %s' % (alg, summary))
                results.append({'case': name, 'n': n, 'm': m, 'r': r, 'tool': 'nmf-oracle', 'method': alg,
                                'note': 'failed: %s' % summary})
                continue
            best = min(x[1] for x in rows)
            log('  nmf-oracle %-12s per iteration %.3f ms; %s' % (alg, per * 1e3,
                'target at iteration %d, %.2f s' % (hit[0], hit[2]) if hit else 'target NOT reached (best %.4e)' % best))
            results.append({'case': name, 'n': n, 'm': m, 'r': r, 'tool': 'nmf-oracle', 'method': alg, 'load1': load,
                            'per_iter_ms': per * 1e3, 'per_iter_K': k, 'target': target,
                            'reached': hit is not None, 'iterations_to_target': hit[0] if hit else None,
                            'seconds_to_target': hit[2] if hit else None,
                            'error_at_stop': rows[-1][1], 'search_seconds': rows[-1][2],
                            'note': ('from the trace of one run (max-iter %d)' % budget) if hit
                                    else 'not reached: last run %d iterations in %.1f s (all runs %.0f s, time cap %g s),'
                                    ' best rel.err %.4e' % (rows[-1][0], rows[-1][2], runs_spent, a.time_cap, best)})
    # ratios against scikit-learn mu
    for row in results:
        ref = next((x for x in results if x['case'] == row['case'] and x['tool'] == 'scikit-learn' and x['method'] == 'mu'), None)
        row['per_iter_ratio_vs_sklearn_mu'] = (row['per_iter_ms'] / ref['per_iter_ms']) if ref and row.get('per_iter_ms') else None
        if ref and row.get('reached') and ref.get('reached'):
            row['time_ratio_vs_sklearn_mu'] = row['seconds_to_target'] / ref['seconds_to_target']
        elif ref and ref.get('reached') and row.get('reached') is False:
            row['time_ratio_vs_sklearn_mu'] = '>%.3g' % (row['search_seconds'] / ref['seconds_to_target'])
        else:
            row['time_ratio_vs_sklearn_mu'] = None
    fields = ['case', 'n', 'm', 'r', 'tool', 'method', 'per_iter_ms', 'per_iter_K', 'per_iter_ratio_vs_sklearn_mu', 'target',
              'reached', 'iterations_to_target', 'seconds_to_target', 'time_ratio_vs_sklearn_mu', 'error_at_stop',
              'search_seconds', 'load1', 'note']
    with open(os.path.join(a.out, 'results.csv'), 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for row in results:
            w.writerow({k: row.get(k) for k in fields})
    meta['loadavg_end'] = os.getloadavg()
    with open(os.path.join(a.out, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print_table(results, meta)
    return 0


def per_iteration_rounds(a, algorithms, meta):
    """Time per iteration only: every method once per round, rounds interleaved, medians over the rounds."""
    rows = []
    for name in a.cases.split(','):
        if name not in CASES:
            log('unknown case %s (known: %s)' % (name, ', '.join(CASES)))
            return 2
        V, r, v_path = make_input(name, a.out)
        kind, n, m, _, k = CASES[name]
        start, start_paths = None, None
        if a.same_start:
            import numpy as np
            start = sk_start(V, r)
            start_paths = (os.path.join(a.out, name, 'W0.npy'), os.path.join(a.out, name, 'H0.npy'))
            np.save(start_paths[0], start[0])
            np.save(start_paths[1], start[1])
        times = {}
        for rnd in range(a.per_iteration_rounds):
            for solver in ('mu', 'cd'):
                per, _, _ = sk_per_iteration(V, r, solver, k, repeats=1, start=start)
                times.setdefault(('scikit-learn', solver), []).append(per * 1e3)
            for alg in algorithms:
                trace = os.path.join(a.out, name, 'trace-%s-per-iteration.csv' % alg)
                tr, summary, _ = java_run(a.jar, a.java, v_path, r, alg, k, None, trace, a.java_threads, start_paths)
                if tr is None:
                    log('  nmf-oracle %s failed: %s' % (alg, summary))
                    continue
                diffs = [tr[i][2] - tr[i - 1][2] for i in range(11, len(tr))]
                times.setdefault(('nmf-oracle', alg), []).append(statistics.median(diffs) * 1e3)
            log('  %s round %d: %s' % (name, rnd + 1, ', '.join('%s %.2f ms' % (key[1], v[-1]) for key, v in times.items())))
        ref = statistics.median(times[('scikit-learn', 'mu')])
        for (tool, method), v in times.items():
            rows.append({'case': name, 'tool': tool, 'method': method, 'rounds': len(v), 'K': k,
                         'median_ms': statistics.median(v), 'min_ms': min(v), 'max_ms': max(v),
                         'ratio_vs_sklearn_mu': statistics.median(v) / ref})
    meta['loadavg_end'] = os.getloadavg()
    fields = ['case', 'tool', 'method', 'rounds', 'K', 'median_ms', 'min_ms', 'max_ms', 'ratio_vs_sklearn_mu']
    with open(os.path.join(a.out, 'per_iteration.csv'), 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(a.out, 'meta-per-iteration.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print('date %s; nproc %s; CPU %s; load average %.2f at start, %.2f at end; %s; scikit-learn %s; start: %s' % (
        meta['date'], meta['nproc'], meta['cpu'], meta['loadavg_start'][0], meta['loadavg_end'][0], meta['java'], meta['sklearn'],
        "scikit-learn's random_state=0 for every method" if meta.get('same_start') else 'each tool its own'))
    hdr = ('case', 'tool', 'method', 'rounds', 'K', 'median ms/iter', 'min', 'max', 'x skl-mu')
    table = [(x['case'], x['tool'], x['method'], str(x['rounds']), str(x['K']), '%.2f' % x['median_ms'], '%.2f' % x['min_ms'],
              '%.2f' % x['max_ms'], '%.2f' % x['ratio_vs_sklearn_mu']) for x in rows]
    w = [max(len(str(c)) for c in col) for col in zip(hdr, *table)]
    line = lambda t: '  '.join(str(c).ljust(q) for c, q in zip(t, w)).rstrip()
    print(line(hdr))
    print(line(['-' * q for q in w]))
    for t in table:
        print(line(t))
    return 0


def fmt(v, spec):
    if v is None:
        return '-'
    if isinstance(v, str):
        return v
    return spec % v


def print_table(results, meta):
    print('date %s; %s; nproc %s; CPU %s; load average %.2f at start, %.2f at end' % (
        meta['date'], meta.get('memory', ''), meta['nproc'], meta['cpu'], meta['loadavg_start'][0], meta['loadavg_end'][0]))
    print('%s; Python %s, numpy %s, scikit-learn %s; BLAS/OpenMP threads %s (env %s)' % (
        meta['java'], meta['python'], meta['numpy'], meta['sklearn'],
        ', '.join('%s=%s' % (d['internal_api'], d['num_threads']) for d in meta['threadpools'])
        if isinstance(meta['threadpools'], list) else meta['threadpools'],
        ', '.join('%s=%s' % kv for kv in meta['env'].items() if kv[1]) or 'unset'))
    hdr = ('case', 'tool', 'method', 'ms/iter', 'x skl-mu', 'target', 'iters to target', 's to target', 'x skl-mu')
    rows = []
    for x in results:
        rows.append((x['case'], x['tool'], x['method'], fmt(x.get('per_iter_ms'), '%.2f'),
                     fmt(x.get('per_iter_ratio_vs_sklearn_mu'), '%.2f'), fmt(x.get('target'), '%.4g'),
                     fmt(x.get('iterations_to_target'), '%d') if x.get('reached') else ('not reached' if x.get('reached') is False else '-'),
                     fmt(x.get('seconds_to_target'), '%.2f') if x.get('reached') else fmt(x.get('search_seconds'), '>%.0f'),
                     fmt(x.get('time_ratio_vs_sklearn_mu'), '%.2f')))
    w = [max(len(str(c)) for c in col) for col in zip(hdr, *rows)]
    line = lambda r: '  '.join(str(c).ljust(k) for c, k in zip(r, w)).rstrip()
    print(line(hdr))
    print(line(['-' * k for k in w]))
    for r in rows:
        print(line(r))


if __name__ == '__main__':
    sys.exit(main())
