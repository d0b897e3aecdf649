#!/usr/bin/env python3
"""Top frames of a JFR recording's CPU samples (jdk.ExecutionSample), read with the JDK's `jfr` tool.

Usage: bench/jfr-top.py FILE.jfr [--top N] [--depth D] [--thread PREFIX]

Prints two tables: "self", the methods that were on top of the stack (where the CPU was), and "total",
the methods anywhere in the sampled stack (what the time was spent under), each with its share of all
samples. Frames are "Class.method" without the package, the line numbers dropped.
"""
import argparse
import collections
import json
import subprocess


def frame_name(frame):
    method = frame["method"]
    cls = method["type"]["name"].rsplit(".", 1)[-1]
    return f"{cls}.{method['name']}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--depth", type=int, default=64)
    parser.add_argument("--thread", default="", help="only samples of threads whose name starts with this")
    args = parser.parse_args()
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(args.depth),
                          "--events", "jdk.ExecutionSample", args.file],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    own, under = collections.Counter(), collections.Counter()
    for event in events:
        thread = (event["values"].get("sampledThread") or {}).get("javaName") or ""
        if not thread.startswith(args.thread):
            continue
        frames = [frame_name(f) for f in (event["values"]["stackTrace"] or {}).get("frames", [])]
        if not frames:
            continue
        own[frames[0]] += 1
        for name in set(frames):
            under[name] += 1
    total = sum(own.values())
    print(f"{total} CPU samples in {args.file}")
    for title, counter in (("self", own), ("total", under)):
        print(f"\n{title:>6}  method")
        for name, count in counter.most_common(args.top):
            print(f"{100.0 * count / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
