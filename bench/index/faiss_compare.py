#!/usr/bin/python3
"""Measures faiss on the data exported by IndexScaleReport or ClusteredBankReport --export.

Builds IndexBinaryMultiHash(256, 16, 16) with nflip=1 (the layout Meta's matching tool uses)
and IndexBinaryFlat over DIR/hashes.bin, then answers range queries from DIR/queries.bin at
radius 31 on one thread; by kind of query too when DIR/kinds.txt names each query's kind.
faiss's binary range_search returns distances strictly below the radius it is given, so it is
called with radius + 1. Prints one key=value line per figure.

Given several DIRs, each index type is built over all of them and timed in rounds that give
every DIR a slice in turn, so that a machine whose load changes slows them all alike; rates
are the median over rounds, with the median per-round ratio to the first DIR. Keys are then
prefixed with the DIR's name.
"""
import argparse
import os
import statistics
import time

import faiss
import numpy as np


def rss_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class Data:
    def __init__(self, directory, several):
        self.name = os.path.basename(os.path.normpath(directory))
        self.prefix = f"{self.name}." if several else ""
        self.xb = np.fromfile(f"{directory}/hashes.bin", dtype=np.uint8).reshape(-1, 32)
        self.queries = np.fromfile(f"{directory}/queries.bin", dtype=np.uint8).reshape(-1, 32)
        self.planted = [int(line) for line in open(f"{directory}/planted.txt")]
        try:
            self.kinds = [line.strip() for line in open(f"{directory}/kinds.txt")]
        except FileNotFoundError:
            self.kinds = ["all"] * len(self.queries)


def build(name, make, data):
    index = make()
    before = rss_bytes()
    start = time.perf_counter()
    index.add(data.xb)
    print(f"{data.prefix}{name}_build_seconds={time.perf_counter() - start:.4g}")
    print(f"{data.prefix}{name}_rss_bytes_per_hash={(rss_bytes() - before) / len(data.xb):.4g}")
    index.range_search(data.queries[:2], 32)  # warm up
    return index


def measure(name, make, datasets, radius, rounds, slice_seconds, max_queries):
    indexes = [build(name, make, data) for data in datasets]
    stats = [{"cursor": 0, "rates": [], "kinds": {}, "found": 0, "planted": 0, "matches": 0,
              "done": 0} for _ in datasets]
    per_slice = max(1, max_queries // rounds)
    for _ in range(rounds):
        for data, index, s in zip(datasets, indexes, stats):
            done = 0
            start = time.perf_counter()
            while done == 0 or (time.perf_counter() - start < slice_seconds and done < per_slice):
                i = s["cursor"] % min(max_queries, len(data.queries))
                s["cursor"] += 1
                before = time.perf_counter()
                lims, dist, ids = index.range_search(data.queries[i:i + 1], radius + 1)
                spent = s["kinds"].setdefault(data.kinds[i], [0, 0.0])
                spent[0] += 1
                spent[1] += time.perf_counter() - before
                done += 1
                s["matches"] += len(ids)
                if data.planted[i] >= 0:
                    s["planted"] += 1
                    s["found"] += int(data.planted[i] in set(ids.tolist()))
            s["rates"].append(done / (time.perf_counter() - start))
            s["done"] += done
    for data, s in zip(datasets, stats):
        p = f"{data.prefix}{name}"
        print(f"{p}_queries_timed={s['done']}")
        print(f"{p}_lookups_per_second_r{radius}_t1={statistics.median(s['rates']):.4g}"
              f" (median of {rounds} rounds; {min(s['rates']):.4g} to {max(s['rates']):.4g})")
        print(f"{p}_matches_per_query_r{radius}={s['matches'] / s['done']:.4g}")
        if s["planted"]:
            print(f"{p}_recall_planted_r{radius}={s['found'] / s['planted']:.4g}")
        if len(s["kinds"]) > 1:
            for kind, (count, seconds) in sorted(s["kinds"].items()):
                print(f"{p}_lookups_per_second_r{radius}_t1_{kind}={count / seconds:.4g}"
                      f" ({count} queries)")
        if data is not datasets[0]:
            ratios = [a / b for a, b in zip(s["rates"], stats[0]["rates"])]
            print(f"{p}_rate_ratio_to_{datasets[0].name}_r{radius}={statistics.median(ratios):.4g}")
    del indexes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--radius", type=int, default=31)
    parser.add_argument("--max-queries", type=int, default=2000,
                        help="most lookups per index type and DIR")
    parser.add_argument("--max-seconds", type=float, default=20,
                        help="most time spent looking up, per index type and DIR")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--skip-flat", action="store_true")
    parser.add_argument("--skip-multihash", action="store_true")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)
    datasets = [Data(d, len(args.dirs) > 1) for d in args.dirs]
    print(f"faiss_version={faiss.__version__}")
    print(f"size={len(datasets[0].xb)}")
    slice_seconds = args.max_seconds / args.rounds

    def multihash():
        index = faiss.IndexBinaryMultiHash(256, 16, 16)
        index.nflip = 1
        return index

    if not args.skip_multihash:
        measure("faiss_multihash", multihash, datasets, args.radius, args.rounds, slice_seconds,
                args.max_queries)
    if not args.skip_flat:
        measure("faiss_flat", lambda: faiss.IndexBinaryFlat(256), datasets, args.radius,
                args.rounds, slice_seconds, args.max_queries)


if __name__ == "__main__":
    main()
