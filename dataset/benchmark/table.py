"""The bench's figures as Markdown: validate against parsing, then the other commands, then the machine."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from datetime import date

from .child import Run
from .run import Row


def _seconds(run: Run, valid: bool) -> str:
    if run.timed_out:
        return f"> {run.seconds:.0f} (stopped)"
    text = f"{run.seconds:.2f}" if run.seconds < 10 else f"{run.seconds:.1f}"
    if (run.exit_code == 0) != valid:
        text += f" (exit {run.exit_code})"
    return text


def _rate(records: int, seconds: float) -> str:
    return f"{records / seconds:,.0f}" if seconds > 0 else "-"


def validate_table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| span records | documents | validate s | json.loads s | ratio | records/s | validate cpu s | peak MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        run = row.runs["validate"]
        ratio = run.seconds / row.parse.seconds if row.parse.seconds > 0 else float("inf")
        lines.append(
            f"| {row.generated.span_records:,} | {row.generated.documents:,} | {_seconds(run, row.scenario.valid)} "
            f"| {row.parse.seconds:.2f} | {ratio:.1f}x | {_rate(row.generated.span_records, run.seconds)} "
            f"| {run.cpu_seconds:.1f} | {run.peak_mib:.0f} |"
        )
    return lines


def commands_table(rows: Sequence[Row], names: Sequence[str]) -> list[str]:
    lines = ["| command | span records | seconds | records/s | cpu s | peak MiB |", "|---|---:|---:|---:|---:|---:|"]
    for name in names:
        for row in rows:
            run = row.runs.get(name)
            if run is not None:
                lines.append(
                    f"| `{name}` | {row.generated.span_records:,} | {_seconds(run, row.scenario.valid)} "
                    f"| {_rate(row.generated.span_records, run.seconds)} | {run.cpu_seconds:.1f} | {run.peak_mib:.0f} |"
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
    """The end of the output of every command that did not end as the scenario expects."""
    lines = []
    for row in rows:
        for name, run in row.runs.items():
            if run.timed_out or (run.exit_code == 0) != row.scenario.valid:
                tail = run.output.strip().splitlines()[-5:]
                lines += [f"`{name}` on {row.generated.span_records:,} span records ended with exit {run.exit_code}:"]
                lines += [f"    {line}" for line in tail] + [""]
    return lines


def render(rows: Sequence[Row]) -> str:
    if not rows:
        return ""
    scenario = rows[0].scenario
    names = [name for name in rows[0].runs if name != "validate"]
    out = [f"Scenario `{scenario.name}`: {scenario.description}.", ""]
    if all("validate" in row.runs for row in rows):
        out += [*validate_table(rows), ""]
    if names:
        out += [*commands_table(rows, names), ""]
    generate = ", ".join(f"{row.generate_seconds:.1f} s" for row in rows)
    out += [
        f"Machine: {machine()}. Every command ran in a fresh process, as a user runs it (wall time from process "
        "start; cpu: user and system seconds of the process and its workers; peak memory: the largest resident "
        "set of the process or any of its workers). "
        "json.loads: reading every JSONL file validate reads and parsing each line, on one core. Generating the "
        f"corpora ({generate}) is not counted.",
    ]
    trouble = failures(rows)
    if trouble:
        out += ["", *trouble]
    return "\n".join(out)
