"""Command line: python -m dataset <command> (also installed as kursk-dataset).

Every command is a module under commands/ with HELP and register(parser, repo); a command that writes declares
WRITES = True and runs under the repository lock. Whatever goes wrong ends as one `path:line: rule-id: message`
line and an exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .commands import COMMANDS
from .commands.common import show_progress
from .derive.canonical import UnwritableRecordError
from .problems import FORMATTERS, Problem
from .read import stream
from .repo import Repo, RepositoryNotFoundError
from .schemas import Schemas
from .write.lock import LockTimeoutError, repository_lock

ROOT_HELP = (
    "repository root (default: the nearest folder at or above the working directory holding schema/, "
    "annotations/ and seeds/)"
)


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error said as every other problem is: `.:0: usage: message`."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(Problem(".", 0, "usage", f"{self.prog}: {message}").text(), file=sys.stderr)
        sys.exit(2)


def parser(repo: Repo | None) -> argparse.ArgumentParser:
    """The full parser; without a repository, only the commands that need none (NEEDS_REPOSITORY = False)."""
    main = Parser(prog="python -m dataset", description="Validate and build the Kursk claims dataset.")
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    main.add_argument("--root", help=ROOT_HELP)
    main.add_argument("--quiet", action="store_true", help="no progress display, even on a terminal")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        if repo is None and _needs_repository(name):
            continue
        listed = module.HELP.replace("%", "%%")  # argparse %-formats a help line (not a description)
        module.register(commands.add_parser(name, help=listed, description=module.HELP), repo)
    return main


def _needs_repository(command: str | None) -> bool:
    return command not in COMMANDS or getattr(COMMANDS[command], "NEEDS_REPOSITORY", True)


def _report(problem: Problem) -> None:
    print(problem.text(), file=sys.stderr)


def _quiet_pipe() -> None:
    """The reader of our output went away (`stats | head -1`): stop writing, quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        _quiet_pipe()
        return 0


def _main(argv: list[str] | None) -> int:
    # The root is needed before the full parser exists: some commands derive their options from its schemas.
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--root")
    pre.add_argument("--version", action="store_true")
    pre.add_argument("command", nargs="?")
    known, _ = pre.parse_known_args(argv)
    if known.version:
        print(f"python -m dataset {__version__}")
        return 0
    repo: Repo | None = None
    if _needs_repository(known.command):
        try:
            repo = Repo.find(known.root)
        except RepositoryNotFoundError as err:
            _report(Problem(".", 0, "repository", str(err)))
            return 2
        if known.root is None and repo.root != Path.cwd().resolve():
            print(f"using repository {repo.root}", file=sys.stderr)
        broken = Schemas(repo).problems()
        if broken:  # commands derive options and checks from the schemas: nothing works without them
            print(FORMATTERS["text"](broken), file=sys.stderr)
            return 2
    args = parser(repo).parse_args(argv)
    args.repo = repo
    stream.show_progress(show_progress(args))  # for every pass a command makes, load()'s and build()'s included
    try:
        if repo is not None and getattr(COMMANDS[args.command], "WRITES", False):
            with repository_lock(repo):
                return args.run(args)
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except UnwritableRecordError as err:
        _report(err.problem)
        print("not written: a writer never emits what the reader would reject", file=sys.stderr)
        return 1
    except LockTimeoutError as err:
        assert repo is not None  # only commands with a repository take its lock
        _report(Problem(repo.rel(repo.lock_file), 0, "lock", str(err)))
        return 2
    except OSError as err:
        where = "." if not err.filename else repo.rel(Path(err.filename)) if repo else str(err.filename)
        _report(Problem(where, 0, "io", f"{err.strerror or err}"))
        return 2
    except Exception as err:  # last resort: a bug must still not print a traceback at a contributor
        message = f"{type(err).__name__}: {err} (please report this with the command you ran)"
        _report(Problem(".", 0, "internal-error", message.encode("utf-8", "backslashreplace").decode("utf-8")))
        return 3
