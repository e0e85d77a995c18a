#!/usr/bin/env python3
"""The benchmark results of `tools/dev bench`, and the table made from them.

  bench_table.py collect --out RESULTS --runs RUNS.jsonl [--engine GBENCH.json]
                 [--size NAME=N ...] [--parts "..."] [--seconds S]
      writes one results file: the runs jixiao-load printed with --json (one
      object a line), engine_benchmark's Google Benchmark JSON as runs named
      after each benchmark (per_second: its items per second), the date, the
      cores and the sizes.
  bench_table.py table RESULTS [--markdown]
      prints each target of tools/bench/targets.json that the results hold:
      its figure, baseline, ratio, threshold and verdict.
  bench_table.py update-doc RESULTS FILE
      replaces the lines between FILE's markers (<!-- bench-table: begin -->
      and <!-- bench-table: end -->) with the Markdown table.

--targets FILE (before the command) reads another targets file.
"""

import argparse
import datetime
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BEGIN = "<!-- bench-table: begin -->"
END = "<!-- bench-table: end -->"


class Missing(Exception):
    """A run or a value the results do not hold (its part did not run)."""


def collect(args):
    runs = []
    with open(args.runs, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line:
                runs.append(json.loads(line))
    if args.engine:
        with open(args.engine, encoding="utf-8") as f:
            for b in json.load(f).get("benchmarks", []):
                if b.get("run_type", "iteration") != "iteration":
                    continue
                run = {"name": b["name"], "per_second": round(b.get("items_per_second", 0))}
                scale = {"ns": 1e-3, "us": 1, "ms": 1e3, "s": 1e6}[b.get("time_unit", "ns")]
                run["cpu_us"] = round(b["cpu_time"] * scale, 3)
                runs.append(run)
    sizes = {}
    for item in args.size:
        name, _, value = item.partition("=")
        sizes[name] = int(value)
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "cores": os.cpu_count(),
        "sizes": sizes,
        "parts": args.parts.split(),
        "seconds": args.seconds,
        "runs": runs,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)
        f.write("\n")


def field(run, path):
    value = run
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise Missing(f"{run.get('name')}.{path}")
        value = value[key]
    return value


def evaluator(results):
    """The names an expression of targets.json may use."""
    runs = results["runs"]

    def named(name):
        found = [r for r in runs if r.get("name") == name]
        if not found:
            raise Missing(name)
        return found

    def run(name, path):
        return statistics.median_low([field(r, path) for r in named(name)])

    def last(name, path):
        return field(named(name)[-1], path)

    def best(path, *names):
        present = [n for n in names if any(r.get("name") == n for r in runs)]
        if not present:
            raise Missing(" ".join(names))
        return max(present, key=lambda n: run(n, path))

    return {"__builtins__": {}, "run": run, "last": last, "best": best, "min": min, "max": max,
            "cores": results.get("cores") or 1, "sizes": results.get("sizes", {})}


def evaluate(expression, names):
    try:
        return eval(expression, names)  # pylint: disable=eval-used
    except (Missing, NameError, ZeroDivisionError) as error:
        raise Missing(str(error)) from error


def number(value, digits):
    if isinstance(value, str):
        return value
    if digits is None:
        digits = 0 if float(value).is_integer() else 1
    return f"{value:,.{digits}f}"


def passes(value, op, limit):
    return {">=": value >= limit, "<=": value <= limit, ">": value > limit,
            "<": value < limit}[op]


def rows(targets, results):
    """Each target the results hold: a dict of the table's cells."""
    names = evaluator(results)
    for name, expression in targets.get("values", {}).items():
        try:
            names[name] = evaluate(expression, names)
        except Missing:
            pass
    labels = {k: v for k, v in names.items() if not callable(v) and k != "__builtins__"}
    parts = set(results.get("parts") or [])
    out = []
    for target in targets["targets"]:
        if parts and target["part"] not in parts:
            continue
        try:
            figure = evaluate(target["figure"], names)
            baseline = evaluate(target["baseline"], names)
            name = target["name"].format(**labels)
            baseline_name = target["baseline_name"].format(**labels)
        except (Missing, KeyError):
            continue
        digits = target.get("digits")
        ratio = round(figure / baseline, 2) if baseline else 0.0
        row = {"name": f"{name}, {target['unit']}", "figure": number(figure, digits),
               "baseline_name": baseline_name, "baseline": number(baseline, None),
               "ratio": f"{ratio:.2f}", "threshold": "", "verdict": ""}
        threshold = target.get("threshold")
        note = target.get("note", "")
        if threshold:
            met, missed = threshold.get("words", ["met", "MISSED"])
            value = round(figure) if threshold["on"] == "figure" else ratio
            row["verdict"] = met if passes(value, threshold["op"], threshold["value"]) else missed
            limit = threshold["value"]
            if threshold["on"] == "figure":
                row["threshold"] = f"figure {threshold['op']} {limit:,} {target['unit']}"
            else:
                row["threshold"] = f"ratio {threshold['op']} {limit}"
            if note:
                row["threshold"] += f" ({note})"
        else:
            row["threshold"] = f"({note})" if note else ""
        out.append(row)
    return out


def text_table(table):
    lines = []
    for r in table:
        lines.append(f"{r['name']:<56} {r['figure']:>12}   {r['baseline_name']:<40} "
                     f"{r['baseline']:>12}   ratio {r['ratio']:<6} {r['threshold']:<40} "
                     f"{r['verdict']}".rstrip())
    return "\n".join(lines)


def markdown_table(table, results):
    sizes = results.get("sizes", {})
    took = results.get("seconds")
    head = (f"Run of {results.get('date')} on {results.get('cores')} cores"
            + (f", {int(took) // 60} min {int(took) % 60} s" if took else "")
            + ("; sizes: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()) if sizes else "")
            + ".")
    lines = [head, "",
             "| target | figure | same-run baseline | | ratio | threshold | verdict |",
             "|---|---:|---|---:|---:|---|---|"]
    for r in table:
        name = r["name"].strip()
        if r["name"].startswith(" "):
            name = "↳ " + name
        verdict = f"**{r['verdict']}**" if r["verdict"] in ("MISSED",) else r["verdict"]
        lines.append(f"| {name} | {r['figure']} | {r['baseline_name']} | {r['baseline']} | "
                     f"{r['ratio']} | {r['threshold']} | {verdict} |")
    return "\n".join(lines)


def update_doc(path, markdown):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    begin, end = text.find(BEGIN), text.find(END)
    if begin < 0 or end < begin:
        sys.exit(f"bench_table: {path} has no {BEGIN} ... {END} section")
    text = (text[:begin + len(BEGIN)] + "\n<!-- generated by tools/dev bench-table from the last "
            "run's bench-results.json; do not edit -->\n" + markdown + "\n" + text[end:])
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", default=os.path.join(HERE, "targets.json"))
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("collect")
    c.add_argument("--out", required=True)
    c.add_argument("--runs", required=True)
    c.add_argument("--engine")
    c.add_argument("--size", action="append", default=[])
    c.add_argument("--parts", default="")
    c.add_argument("--seconds", type=int)
    t = commands.add_parser("table")
    t.add_argument("results")
    t.add_argument("--markdown", action="store_true")
    u = commands.add_parser("update-doc")
    u.add_argument("results")
    u.add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "collect":
        collect(args)
        return
    with open(args.targets, encoding="utf-8") as f:
        targets = json.load(f)
    with open(args.results, encoding="utf-8") as f:
        results = json.load(f)
    table = rows(targets, results)
    if args.command == "table":
        print(markdown_table(table, results) if args.markdown else text_table(table))
    else:
        update_doc(args.file, markdown_table(table, results))


if __name__ == "__main__":
    main(sys.argv[1:])
