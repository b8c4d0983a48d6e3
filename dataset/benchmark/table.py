"""The bench's figures as Markdown: validate against parsing, then the other commands, then the machine."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from datetime import date

from .child import Run
from .run import Row


def _seconds(run: Run, expect: int) -> str:
    if run.timed_out:
        return f"> {run.seconds:.0f} (stopped)"
    text = f"{run.seconds:.2f}" if run.seconds < 10 else f"{run.seconds:.1f}"
    if run.exit_code != expect:
        text += f" (exit {run.exit_code}, expected {expect})"
    return text


def _rate(records: int, seconds: float) -> str:
    return f"{records / seconds:,.0f}" if seconds > 0 and records else "-"


def _corpus(row: Row, several: bool) -> str:
    """The row's first cells: the scenario (when the table has several) and the corpus's span records."""
    name = f"`{row.scenario.name}` | " if several else ""
    return f"| {name}{row.generated.span_records:,} |"


def validate_table(rows: Sequence[Row]) -> list[str]:
    several = len({row.scenario.name for row in rows}) > 1
    head = "| scenario " if several else ""
    lines = [
        f"{head}| span records | documents | validate s | json.loads s | ratio | records/s | cpu s | peak MiB |",
        ("|---" if several else "") + "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        run = row.runs["validate"]
        ratio = f"{run.seconds / row.parse.seconds:.1f}x" if row.parse.seconds > 0 else "-"
        lines.append(
            f"{_corpus(row, several)} {row.generated.documents:,} | {_seconds(run, row.generated.expect)} "
            f"| {row.parse.seconds:.2f} | {ratio} | {_rate(row.generated.span_records, run.seconds)} "
            f"| {run.cpu_seconds:.1f} | {run.peak_mib:.0f} |"
        )
    return lines


def commands_table(rows: Sequence[Row], names: Sequence[str]) -> list[str]:
    several = len({row.scenario.name for row in rows}) > 1
    head = "| scenario " if several else ""
    lines = [
        f"| command {head}| span records | seconds | records/s | cpu s | peak MiB |",
        "|---" + ("|---" if several else "") + "|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        for row in rows:
            run = row.runs.get(name)
            if run is not None:
                lines.append(
                    f"| `{name}` {_corpus(row, several)} {_seconds(run, row.generated.expect)} "
                    f"| {_rate(row.generated.span_records, run.seconds)} | {run.cpu_seconds:.1f} "
                    f"| {run.peak_mib:.0f} |"
                )
    return lines


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
    except OSError:
        pass
    python = ".".join(map(str, sys.version_info[:3]))
    return f"{date.today().isoformat()}, {cores} cores ({model}), Python {python}, {platform.system()}"


def failures(rows: Sequence[Row]) -> list[str]:
    """The end of the output of every command that did not end as its corpus expects."""
    lines = []
    for row in rows:
        for name, run in row.runs.items():
            if run.timed_out or run.exit_code != row.generated.expect:
                tail = run.output.strip().splitlines()[-5:]
                where = f"`{row.scenario.name}`, {row.generated.span_records:,} span records"
                lines += [f"`{name}` on {where} ended with exit {run.exit_code}:"]
                lines += [f"    {line}" for line in tail] + [""]
    return lines


def render(rows: Sequence[Row]) -> str:
    if not rows:
        return ""
    out = []
    for name in dict.fromkeys(row.scenario.name for row in rows):
        row = next(r for r in rows if r.scenario.name == name)
        what = f" ({row.generated.what})" if row.generated.what else ""
        out.append(f"- `{name}`: {row.scenario.description}{what}")
    out.append("")
    if all("validate" in row.runs for row in rows):
        out += [*validate_table(rows), ""]
    names = [name for name in rows[0].runs if name != "validate"]
    if names:
        out += [*commands_table(rows, names), ""]
    generate = ", ".join(f"{row.generate_seconds:.1f} s" for row in rows)
    out += [
        f"Machine: {machine()}. Every command ran in a fresh process, as a user runs it (wall time from process "
        "start; cpu: user and system seconds of the process and its workers; peak memory: the largest resident "
        "set of the process or any of its workers). json.loads: reading every JSONL file validate reads and "
        f"parsing each line, on one core. Generating the corpora ({generate}) is not counted.",
    ]
    trouble = failures(rows)
    if trouble:
        out += ["", *trouble]
    return "\n".join(out)
