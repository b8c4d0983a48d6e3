"""Command line: python -m dataset <command> (also installed as kursk-dataset)."""

from __future__ import annotations

import argparse
import os
import sys

from .commands import build, validate

# Every command module: HELP, register(parser). Adding a command is adding a module and a line here.
COMMANDS = {"validate": validate, "build": build}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m dataset", description="Validate and build the Kursk claims dataset.")
    main.add_argument(
        "--root", help="repository root (default: the clone this package is in, else the working directory)"
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        module.register(commands.add_parser(name, help=module.HELP, description=module.HELP))
    return main


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except OSError as err:
        print(f"{err.filename or '.'}:0: io: {err.strerror or err}", file=sys.stderr)
        return 2
