#!/usr/bin/env python3
"""Groups a server's CPU samples (async-profiler's collapsed stacks) into the parts of a request.

Usage: cpu-shares.py PROFILE.collapsed [MICROSECONDS_PER_REQUEST]

Each stack goes to the part of its deepest frame that names one, so a JSON write inside a route
counts as JSON and a socket write inside Jetty as the socket. With the server's CPU time per
request (bench/service/run.sh prints it), each share is also given in microseconds.
"""
import sys

# (part, frame substrings): the deepest frame that matches any decides; within one frame, the first part listed.
PARTS = [
    ("similarity index lookup", ["org/countersignal/index/", "org.countersignal.index."]),
    ("matching: banks, entry rows, hits", ["org/countersignal/server/match/", "org.countersignal.server.match."]),
    ("actions and discovery", ["org/countersignal/server/action/", "org/countersignal/server/discovery/"]),
    ("authentication and rate limits", ["org/countersignal/server/auth/", "org/countersignal/server/http/Authenticator"]),
    ("request and response JSON", ["com/fasterxml/jackson/", "org/countersignal/server/http/RequestBodies"]),
    ("metrics", ["io/micrometer/", "org/countersignal/server/metrics/"]),
    ("database", ["org/h2/", "com/zaxxer/", "org/jdbi/", "org/postgresql/"]),
    ("socket reads and writes", ["sun/nio/ch/", "epoll_wait", "__libc_send", "__libc_recv", "__write", "__read",
                                 "writev", "readv", "__send", "__recv"]),
    ("kernel (network stack, scheduling)", ["_[k]"]),
    ("HTTP: Jetty and Javalin", ["org/eclipse/jetty/", "io/javalin/"]),
    ("garbage collection", ["G1", "GCTaskThread", "SerialHeap", "DefNewGeneration", "ConcurrentGCThread"]),
    ("JIT compilation", ["CompileBroker", "C2Compiler", "Compile::", "C1_"]),
]


def part_of(frames):
    for frame in reversed(frames):
        for part, needles in PARTS:
            if any(n in frame for n in needles):
                return part
    return "other (JVM, logging, the rest)"


def main():
    samples = {}
    total = 0
    with open(sys.argv[1]) as profile:
        for line in profile:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            total += n
            part = part_of(stack.split(";"))
            samples[part] = samples.get(part, 0) + n
    per_request = float(sys.argv[2]) if len(sys.argv) > 2 else None
    print(f"{total} samples")
    for part, n in sorted(samples.items(), key=lambda kv: -kv[1]):
        share = n / total
        micros = f"  {share * per_request:6.1f} µs" if per_request else ""
        print(f"{part:<38} {100 * share:5.1f} %{micros}")


if __name__ == "__main__":
    main()
