#!/usr/bin/env python3
"""Runs a command once and prints, as one JSON line for the bench's results,
its wall time and CPU time, its peak resident memory (the kernel's count for
the child, in KiB), the resident memory of a watched process before and
after and the CPU time it used meanwhile, and,
where the command printed a JSON object with a "reports" count, that count.

    timed.py --name NAME [--watch-pid PID] -- COMMAND [ARG...]

The command's standard output is read for the count and not shown; its
standard error passes through. A failing command fails the run.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time


def resident_kb(pid):
    """A process's resident memory now, in KiB; -1 if it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def cpu_seconds(pid):
    """A process's CPU time so far (user and system), in seconds; -1 if unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return -1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--watch-pid", type=int, default=0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    run = {"name": args.name}
    if args.watch_pid:
        run["watched_rss_start_kb"] = resident_kb(args.watch_pid)
        watched_cpu = cpu_seconds(args.watch_pid)
    start = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.PIPE, check=False)
    run["seconds"] = round(time.monotonic() - start, 3)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    run["max_rss_kb"] = usage.ru_maxrss
    run["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 3)
    if args.watch_pid:
        run["watched_rss_end_kb"] = resident_kb(args.watch_pid)
        run["watched_cpu_seconds"] = round(cpu_seconds(args.watch_pid) - watched_cpu, 3)
    try:
        answer = json.loads(done.stdout)
        if isinstance(answer, dict) and "reports" in answer:
            run["reports"] = int(answer["reports"])
    except ValueError:
        pass
    run["exit_code"] = done.returncode
    print(json.dumps(run))
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
