#!/usr/bin/env python3
"""Top frames of a JFR recording's CPU samples (jdk.ExecutionSample), read with the JDK's `jfr` tool.

Usage: bench/jfr-top.py FILE.jfr [--top N] [--depth D] [--thread PREFIX]

A third table, "where", sorts every sample into the first of these jobs found anywhere in its stack: logging,
the TLS-RPT journal, reading content back from the spool, DNS and policy work, TLS (handshakes and record
cryptography in Java), regular expressions, the spool writer, SMTP in and out (the rest of the relay's and
Netty's code), and everything else; and it gives the allocation pressure (jdk.ObjectAllocationSample weight)
per job the same way.

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


# (job, frame prefixes): a sample counts for the first job one of whose prefixes starts one of its frames.
JOBS = [
    ("logging", ("ch/qos/logback/", "org/slf4j/", "org/stsrelay/delivery/AttemptLog")),
    ("TLS-RPT journal", ("org/stsrelay/tlsrpt/",)),
    ("content read back from the spool", ("org/stsrelay/queue/SpoolContent", "org/stsrelay/delivery/MessageTransfer.stream")),
    ("DNS and policy", ("org/xbill/", "org/stsrelay/policy/", "org/stsrelay/delivery/RouteResolver",
                        "org/stsrelay/dane/DaneLookup", "com/github/benmanes/caffeine/")),
    ("TLS in Java", ("sun/security/", "com/sun/crypto/", "io/netty/handler/ssl/")),
    ("regular expressions", ("java/util/regex/",)),
    ("spool writer", ("org/stsrelay/spool/LogWriter", "org/stsrelay/spool/SegmentAppender")),
    ("SMTP in and out, queue", ("org/stsrelay/", "io/netty/")),
]


def job_of(frames):
    for job, prefixes in JOBS:
        if any(f.startswith(prefixes) for f in frames):
            return job
    return "other (JDK, JVM)"


def raw_frames(event):
    frames = (event["values"].get("stackTrace") or {}).get("frames", [])
    return [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in frames]


def where(file, depth, thread_prefix):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events",
                          "jdk.ExecutionSample,jdk.ObjectAllocationSample", file],
                         check=True, capture_output=True, text=True).stdout
    cpu, allocated = collections.Counter(), collections.Counter()
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        thread = (values.get("sampledThread") or values.get("eventThread") or {}).get("javaName") or ""
        if not thread.startswith(thread_prefix):
            continue
        job = job_of(raw_frames(event))
        if event["type"] == "jdk.ExecutionSample":
            cpu[job] += 1
        else:
            allocated[job] += int(values.get("weight", 0))
    cpu_total, bytes_total = max(sum(cpu.values()), 1), max(sum(allocated.values()), 1)
    print(f"\n{'where':>6}  {'alloc':>6}  job (share of CPU samples, share of sampled allocation)")
    for job in [j for j, _ in JOBS] + ["other (JDK, JVM)"]:
        print(f"{100.0 * cpu[job] / cpu_total:5.1f}%  {100.0 * allocated[job] / bytes_total:5.1f}%  {job}")


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
    where(args.file, args.depth, args.thread)


if __name__ == "__main__":
    main()
