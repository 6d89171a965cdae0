#!/usr/bin/env python3
"""One table from one run of bench/compare.sh: kobai beside the peers.

usage: table.py OUT_DIR
reads  OUT_DIR/kobai.txt (cargo bench --bench kobai -- --table), OUT_DIR/process.txt
       (bench/process.py), OUT_DIR/results.tsv (the peers' run_all.py) and
       OUT_DIR/w1_process.txt (the peers' w1_process.py), and prints markdown.
Ratios are peer / kobai (above 1: kobai is faster). For the polynomial-type peers
(sympy_poly, symbolica_poly, flint) on W4 and W4F the ratio is taken against
kobai's Poly kernel alone (the `kobai Poly` column); everywhere else against
kobai's expression-level call.
"""
import csv
import os
import sys

PEERS = ["sympy", "symengine", "symbolica", "sympy_poly", "symbolica_poly", "flint", "flint_mat", "numpy",
         "fractions"]
POLY_PEERS = {"sympy_poly", "symbolica_poly", "flint"}
ORDER = ["W1", "W2", "W3", "W4", "W4F", "W4Fd", "W5a", "W5b", "W6"]


def fmt(sec):
    if sec is None:
        return ""
    if sec < 1e-3:
        return "%.1f µs" % (sec * 1e6)
    if sec < 1:
        return "%.2f ms" % (sec * 1e3)
    return "%.2f s" % sec


def ratio(peer, mine):
    if peer is None or not mine:
        return ""
    r = peer / mine
    return "%.0f×" % r if r >= 10 else "%.1f×" % r if r >= 1 else "%.2f×" % r


def load_kobai(out, names=("kobai.txt", "process.txt")):
    cells, status = {}, {}
    for name in names:
        path = os.path.join(out, name)
        if not os.path.exists(path):
            continue
        for line in open(path):
            parts = line.split()
            if len(parts) >= 4 and parts[2] == "kobai" and not line.startswith("#"):
                key = (parts[0], int(parts[1]))
                try:
                    cells[key] = float(parts[3])
                    status[key] = "BAD" if "BAD" in parts[4:] else "ok"
                    if parts[0] == "FIT" and len(parts) >= 5:
                        status[key] = "rss=%s" % parts[4]
                except ValueError:
                    status[key] = parts[3]
    return cells, status


def load_peers(out):
    cells = {}
    path = os.path.join(out, "results.tsv")
    if os.path.exists(path):
        with open(path) as f:
            for r in csv.DictReader(f, delimiter="\t"):
                cells[(r["workload"], int(r["size"]), r["system"])] = r
    proc = {}
    path = os.path.join(out, "w1_process.txt")
    if os.path.exists(path):
        for line in open(path):
            parts = line.split()
            if len(parts) >= 4 and parts[0] == "W1proc":
                proc[parts[2]] = float(parts[3])
    return cells, proc


def peer_text(r):
    if r is None:
        return "", None
    st = r["status"]
    if st == "ok":
        return fmt(float(r["seconds"])), float(r["seconds"])
    if st == "partial":
        return fmt(float(r["seconds"])) + "*", float(r["seconds"])
    if st == "BAD":
        return fmt(float(r["seconds"])) + " (WRONG)", None
    if st == "TIMEOUT":
        return "timeout " + r["info"], None
    if st == "skipped":
        return "(skip)", None
    return st, None


def main():
    out = sys.argv[1]
    mine, status = load_kobai(out)
    single, _ = load_kobai(out, ("kobai_1thread.txt",))
    peers, proc = load_peers(out)
    used = [p for p in PEERS if any(k[2] == p for k in peers)]
    threads = os.cpu_count() or 1
    head = ["workload", "size", "kobai", "kobai Poly", "kobai, 1 thread (Poly)"] + used + \
        ["%s/kobai" % p for p in used]
    print("| " + " | ".join(head) + " |")
    print("|---|---:|" + "---:|" * (len(head) - 2))
    sizes = sorted({(w, s) for (w, s) in mine} | {(k[0], k[1]) for k in peers},
                   key=lambda ws: (ORDER.index(ws[0]) if ws[0] in ORDER else 99, ws[1]))
    for w, s in sizes:
        if w not in ORDER:
            continue
        k = mine.get((w, s))
        kp = mine.get((w + "poly", s))
        ktext = fmt(k) + (" (WRONG)" if status.get((w, s)) == "BAD" else "") if k is not None else status.get((w, s), "")
        k1, kp1 = single.get((w, s)), single.get((w + "poly", s))
        one = ""
        if k1 is not None:
            one = fmt(k1) + (" (%s)" % fmt(kp1) if kp1 is not None else "")
        row = [w, str(s), ktext, fmt(kp) if kp is not None else "", one]
        # Ratios against kobai on one thread where it was measured: the peers run on one.
        k = k1 if k1 is not None else k
        kp = kp1 if kp1 is not None else kp
        ratios = []
        for p in used:
            text, sec = peer_text(peers.get((w, s, p)))
            row.append(text)
            base = kp if (p in POLY_PEERS and kp is not None) else k
            ratios.append(ratio(sec, base))
        print("| " + " | ".join(row + ratios) + " |")
    print()
    print("kobai: the expression-level call (`expand`, `diff`, `read`, `LossSum` + `solve_equations`); "
          "kobai Poly: the `Poly` kernel alone (W4: `Poly::pow`, W4F: `pow` then `mul`), which the ratios "
          "for sympy_poly, symbolica_poly and flint use. kobai uses all %d cores only in the dense product of "
          "W4F/W4Fd; its one-thread figures are beside, and every ratio uses them." % threads)
    print()
    if "W1proc" in {w for (w, _) in mine} or proc:
        k = mine.get(("W1proc", 1))
        print("Whole process, W1 (`kobai minimize \"((w1*x1)-target)^2\" --wrt w1 --at x1=2,target=5` against "
              "`python3 -c` with each peer; median wall time):")
        print()
        print("| process | median | /kobai |")
        print("|---|---:|---:|")
        print("| kobai | %s | 1 |" % fmt(k))
        for name, sec in proc.items():
            print("| %s | %s | %s |" % (name, fmt(sec), ratio(sec, k)))
        print()
    fits = sorted(s for (w, s) in mine if w == "FIT")
    if fits:
        print("`kobai fit \"(w0 + w1*x - t)^2\" --data W2.csv --wrt w0,w1` on the W2 data as a 2-decimal CSV "
              "(whole process, median of 3; peak memory from `/usr/bin/time -v`):")
        print()
        print("| rows | wall | peak memory |")
        print("|---:|---:|---:|")
        for s in fits:
            rss = status.get(("FIT", s), "")
            rss = "%.1f MB" % (int(rss[4:]) / 1024) if rss.startswith("rss=") and rss[4:].isdigit() else rss
            print("| %d | %s | %s |" % (s, fmt(mine[("FIT", s)]), rss))


if __name__ == "__main__":
    main()
