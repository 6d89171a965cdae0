#!/usr/bin/env python3
"""Whole-process timings of the kobai binary, beside the in-process benches.

  W1proc: `kobai minimize "((w1*x1)-target)^2" --wrt w1 --at x1=2,target=5`,
          wall time of the whole process (median of R runs), checked to print w1 = 5/2.
  FIT:    `kobai fit "(w0 + w1*x - t)^2" --data W2_N.csv --wrt w0,w1` on the W2 data of
          common.py written as 2-decimal CSV (N = 10^5 and 10^6 rows), wall time and
          peak memory (maximum resident set size from /usr/bin/time -v), checked
          against the exact answer of common.w2_reference.

usage: process.py KOBAI_BINARY PEERS_DIR OUT_DIR [--quick]
prints lines   W1proc 1 kobai SECONDS   and   FIT N kobai SECONDS MAXRSS_KB
"""
import os
import re
import statistics
import subprocess
import sys
import time


def fmt2(v):
    sign = "-" if v < 0 else ""
    return "%s%d.%02d" % (sign, abs(v) // 100, abs(v) % 100)


def write_csv(common, n, path):
    if os.path.exists(path):
        return
    xs, ts = common.w2_data(n)
    with open(path + ".tmp", "w") as f:
        f.write("x,t\n")
        f.writelines("%s,%s\n" % (fmt2(a), fmt2(b)) for a, b in zip(xs, ts))
    os.replace(path + ".tmp", path)


def w1_process(kobai, reps):
    cmd = [kobai, "minimize", "((w1*x1)-target)^2", "--wrt", "w1", "--at", "x1=2,target=5"]
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0 or "w1 = 5/2" not in p.stdout:
            print("# W1proc check FAILED: %r" % p.stdout)
            return None
    print("# W1proc check ok; min %.5f max %.5f" % (min(times), max(times)))
    return statistics.median(times)


def fit_process(kobai, common, n, csv, reps):
    w0, w1 = common.w2_reference(*common.w2_data(n))
    cmd = ["/usr/bin/time", "-v", kobai, "fit", "(w0 + w1*x - t)^2", "--data", csv, "--wrt", "w0,w1"]
    times, rss = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
        rss.append(int(m.group(1)) if m else 0)
        if p.returncode != 0 or "w0 = %s" % w0 not in p.stdout or "w1 = %s" % w1 not in p.stdout:
            print("# FIT %d check FAILED: %r" % (n, p.stdout[-300:]))
            return None, None
    print("# FIT %d check ok (w0 = %s); min %.4f max %.4f" % (n, w0, min(times), max(times)))
    return statistics.median(times), max(rss)


def main():
    kobai, peers, out = sys.argv[1], sys.argv[2], sys.argv[3]
    quick = "--quick" in sys.argv
    sys.path.insert(0, peers)
    import common  # noqa: E402

    t = w1_process(kobai, 7 if quick else 21)
    print("W1proc 1 kobai %s" % ("%.6f" % t if t is not None else "ERR"), flush=True)
    for n in ([100000] if quick else [100000, 1000000]):
        csv = os.path.join(out, "w2_%d.csv" % n)
        write_csv(common, n, csv)
        t, rss = fit_process(kobai, common, n, csv, 3)
        print("FIT %d kobai %s %s" % (n, "%.6f" % t if t is not None else "ERR", rss if rss is not None else ""),
              flush=True)


if __name__ == "__main__":
    main()
