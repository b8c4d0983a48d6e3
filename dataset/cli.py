"""Command line: python -m dataset <command> (also installed as kursk-dataset)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .canonical import UnwritableRecordError
from .commands import add, bench, build, diff, fmt, publish, reanchor, report, stats, validate
from .lock import LockTimeoutError, repository_lock
from .problems import FORMATTERS
from .repo import Repo, RepositoryNotFoundError
from .schemas import Schemas

# Every command module: HELP, register(parser, repo). Adding a command is adding a module and a line here.
COMMANDS = {
    "validate": validate,
    "build": build,
    "add": add,
    "fmt": fmt,
    "reanchor": reanchor,
    "diff": diff,
    "stats": stats,
    "publish": publish,
    "report": report,
    "bench": bench,
}
ROOT_HELP = (
    "repository root (default: the nearest folder at or above the working directory with schema/, annotations/, seeds/)"
)


def parser(repo: Repo) -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m dataset", description="Validate and build the Kursk claims dataset.")
    main.add_argument("--root", help=ROOT_HELP)
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        module.register(commands.add_parser(name, help=module.HELP, description=module.HELP), repo)
    return main


def main(argv: list[str] | None = None) -> int:
    # The root is needed before the full parser exists: some commands derive their options from its schemas.
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--root")
    known, _ = pre.parse_known_args(argv)
    try:
        repo = Repo.find(known.root)
    except RepositoryNotFoundError as err:
        print(f".:0: repository: {err}", file=sys.stderr)
        return 2
    if known.root is None and repo.root != Path.cwd().resolve():
        print(f"using repository {repo.root}", file=sys.stderr)
    broken = Schemas(repo).problems()
    if broken:  # commands derive options and checks from the schemas: nothing works without them
        print(FORMATTERS["text"](broken), file=sys.stderr)
        return 2
    args = parser(repo).parse_args(argv)
    try:
        if getattr(COMMANDS[args.command], "WRITES", False):
            with repository_lock(repo):
                return args.run(args)
        return args.run(args)
    except UnwritableRecordError as err:
        print(err.problem.text(), file=sys.stderr)
        print("not written: a writer never emits what the reader would reject", file=sys.stderr)
        return 1
    except LockTimeoutError as err:
        print(f"{repo.rel(repo.lock_file)}:0: lock: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as err:
        print(f"{err.filename or '.'}:0: io: {err.strerror or err}", file=sys.stderr)
        return 2
    except Exception as err:  # last resort: a bug must still not print a traceback at a contributor
        message = f"{type(err).__name__}: {err} (please report this with the command you ran)"
        print(f".:0: internal-error: {message}", file=sys.stderr)
        return 3
