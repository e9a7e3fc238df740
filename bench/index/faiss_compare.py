#!/usr/bin/python3
"""Measures faiss on the data exported by IndexScaleReport --export DIR.

Builds IndexBinaryMultiHash(256, 16, 16) with nflip=1 (the layout Meta's matching tool uses)
and IndexBinaryFlat over DIR/hashes.bin, then answers range queries from DIR/queries.bin at
radius 31 on one thread. faiss's binary range_search returns distances strictly below the
radius it is given, so it is called with radius + 1. Prints one key=value line per figure.
"""
import argparse
import resource
import time

import faiss
import numpy as np


def rss_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def measure(name, index, xb, queries, planted, radius, max_queries, max_seconds):
    before = rss_bytes()
    start = time.perf_counter()
    index.add(xb)
    build = time.perf_counter() - start
    memory = rss_bytes() - before
    print(f"{name}_build_seconds={build:.4g}")
    print(f"{name}_rss_bytes_per_hash={memory / len(xb):.4g}")
    # Warm up, then time queries one at a time (as a matching service receives them).
    index.range_search(queries[:2], radius + 1)
    found = planted_total = done = 0
    start = time.perf_counter()
    for i in range(min(max_queries, len(queries))):
        lims, dist, ids = index.range_search(queries[i:i + 1], radius + 1)
        done += 1
        if planted[i] >= 0:
            planted_total += 1
            found += int(planted[i] in set(ids.tolist()))
        if time.perf_counter() - start > max_seconds:
            break
    elapsed = time.perf_counter() - start
    print(f"{name}_queries_timed={done}")
    print(f"{name}_lookups_per_second_r{radius}_t1={done / elapsed:.4g}")
    if planted_total:
        print(f"{name}_recall_planted_r{radius}={found / planted_total:.4g}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--radius", type=int, default=31)
    parser.add_argument("--max-queries", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=20)
    parser.add_argument("--skip-flat", action="store_true")
    parser.add_argument("--skip-multihash", action="store_true")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)
    xb = np.fromfile(f"{args.dir}/hashes.bin", dtype=np.uint8).reshape(-1, 32)
    queries = np.fromfile(f"{args.dir}/queries.bin", dtype=np.uint8).reshape(-1, 32)
    planted = [int(line) for line in open(f"{args.dir}/planted.txt")]
    print(f"faiss_version={faiss.__version__}")
    print(f"size={len(xb)}")
    if not args.skip_multihash:
        index = faiss.IndexBinaryMultiHash(256, 16, 16)
        index.nflip = 1
        measure("faiss_multihash", index, xb, queries, planted, args.radius,
                args.max_queries, args.max_seconds)
        del index
    if not args.skip_flat:
        measure("faiss_flat", faiss.IndexBinaryFlat(256), xb, queries, planted, args.radius,
                args.max_queries, args.max_seconds)


if __name__ == "__main__":
    main()
