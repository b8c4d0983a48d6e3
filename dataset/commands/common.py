"""What commands share: the --format option, printing problems, refusing invalid data, showing progress."""

from __future__ import annotations

import argparse
import sys

from ..problems import FORMATTERS, Problem


def show_progress(args: argparse.Namespace) -> bool:
    """Progress only for a person at a terminal: never with --quiet or machine-readable output."""
    return not getattr(args, "quiet", False) and getattr(args, "format", "text") == "text" and sys.stderr.isatty()


def add_format_option(parser: argparse.ArgumentParser, github: str) -> None:
    """--format for a command that prints problems: every formatter of dataset/problems.py, text by default."""
    parser.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="text",
        help=f"text (path:line: rule: message), github ({github}) or json",
    )


def print_problems(problems: list[Problem], fmt: str = "text", *, stream=None) -> None:
    if problems:
        print(FORMATTERS[fmt](problems), file=stream or sys.stdout)


def refuse(problems: list[Problem], command: str) -> int:
    """Print the problems that stop a command and say so; the exit code of a refusal."""
    print_problems(problems)
    print(f"{command}: {len(problems)} problem(s) to fix first; nothing was written", file=sys.stderr)
    return 1
