#!/usr/bin/env python3
"""Writes benches/reference.txt: the exact answers of ../shared/bench/common.py
for the workloads kobai's benchmarks check (W2, W3, W6), plus the first values
of each generator so that the Rust port of Python's random module is checked.

usage: python3 bench/reference.py [path/to/shared/bench] > benches/reference.txt
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "bench")
sys.path.insert(0, PEERS)
import common  # noqa: E402


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    print("# exact references from ../shared/bench/common.py; regenerate with bench/reference.py")
    for n in (1000, 10000, 100000, 1000000):
        xs, ts = common.w2_data(n)
        w0, w1 = common.w2_reference(xs, ts)
        print("W2 %d first %d %d %d %d" % (n, xs[0], xs[1], ts[0], ts[1]))
        print("W2 %d answer %s %s" % (n, w0, w1))
    for k in (10, 30):
        X, T = common.w3_data(k)
        print("W3 %d first %d %d %d" % (k, X[0][0], X[0][1], T[0]))
        print("W3 %d answer %s" % (k, " ".join(str(v) for v in common.w3_reference(X, T))))
    for n in (1000, 10000, 100000):
        s = common.w6_string(n)
        print("W6 %d chars %d fnv1a64 %016x" % (n, len(s), fnv1a64(s.encode())))


if __name__ == "__main__":
    main()
