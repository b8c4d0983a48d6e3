"""baseline: run one baseline system (dataset/baselines) offline and write its prediction folder.

The folder is built beside DIR, checked as `evaluate` checks a prediction (nothing invalid is ever written), then
swapped in; DIR is only ever replaced when it is empty or an earlier prediction folder (it has a system.jsonl).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from ..layers import BY_NAME
from ..problems import Problem
from ..repo import Repo
from .common import refuse, show_progress

WRITES = True  # holds the repository lock: DIR is usually annotations/predictions/<name>/
HELP = "run a baseline system offline and write its prediction folder (list: baseline --help)"
PREDICTIONS_HOME = "annotations/predictions"


def _epilog() -> str:
    from ..baselines import BASELINES

    lines = ["systems (each needs the optional [baselines] extra: pip install -e '.[baselines]'):"]
    for name, baseline in BASELINES.items():
        given = f"; given {baseline.given}" if baseline.given else ""
        lines.append(f"  {name}: {baseline.description} [writes {', '.join(baseline.layers)}{given}]")
    lines.append(f"The committed predictions are made with --out {PREDICTIONS_HOME}/NAME.")
    return "\n".join(lines)


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    from ..baselines import BASELINES

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _epilog()
    parser.add_argument("name", choices=list(BASELINES), metavar="NAME", help="the system (listed below)")
    parser.add_argument("--out", required=True, help="the prediction folder to write (replaced if it is one)")
    parser.add_argument("--jobs", type=int, help="worker processes for reading the corpus (default: every core)")
    parser.set_defaults(run=run)


def _replaceable(out: Path) -> bool:
    from ..evaluate.systems import SYSTEM_FILE

    if out.is_symlink() or (out.exists() and not out.is_dir()):
        return False
    return not out.exists() or not any(out.iterdir()) or (out / SYSTEM_FILE).is_file()


def _shown(repo: Repo, out: Path) -> str:
    """DIR as the command line names it: relative to the repository when inside it."""
    try:
        return out.relative_to(repo.root.absolute()).as_posix()
    except ValueError:
        return str(out)


def _swap(new: Path, out: Path) -> None:
    """Put the finished folder in place of DIR; the old one goes only once the new one is there."""
    if not out.exists():
        os.replace(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.replace(out, old / out.name)
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old / out.name, out)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    from ..baselines import BASELINES, given_claims
    from ..check.run import Checker
    from ..evaluate.folder import write_folder
    from ..evaluate.gather import Gathered
    from ..evaluate.run import PREDICTION_STORE
    from ..evaluate.systems import system_record
    from ..read import stream
    from ..read.corpus import Corpus
    from ..repo import PREDICTION, Store
    from ..schemas import Schemas

    repo: Repo = args.repo
    baseline = BASELINES[args.name]
    out = Path(args.out).absolute()
    if not _replaceable(out):
        expected = "a new or empty folder, or an earlier prediction folder (with a system.jsonl)"
        problem = Problem(str(args.out), 0, "baseline-out", "the output folder is not a prediction folder", expected)
        return refuse([problem], "baseline")
    schemas = Schemas(repo)
    corpus = Corpus(repo, schemas, [repo.gold])
    checker = Checker(corpus).start()
    gathered = Gathered((repo.gold.name,))
    if checker.readable:
        stream.run(corpus, [checker, gathered], jobs=args.jobs, label="read", progress=show_progress(args))
    report = checker.finish()
    if report.problems:  # the systems read the seeds (and the clustering baseline the gold claims): valid data only
        return refuse(report.problems, "baseline")
    documents = sorted(gathered.texts.items())
    claims = None
    if baseline.given:  # the clustering task's input: the final claims (without the answer)
        gold_claims = gathered.layer(repo.gold.name, BY_NAME["claims"].name)
        claims = given_claims([claim for records in gold_claims.values() for claim in records])
    try:
        result = baseline.predict(documents, claims)
    except ImportError as err:
        message = f"{args.name} needs {err.name or err}: pip install -e '.[baselines]'"
        return refuse([Problem(".", 0, "baseline-dependency", message)], "baseline")
    doc_ids = [doc_id for doc_id, _ in documents]
    metadata = system_record(
        baseline.name,
        baseline.description,
        f"python -m dataset baseline {baseline.name} --out {_shown(repo, out)}",
        baseline.given,
        baseline.tasks,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        folder = staging / out.name
        folder.mkdir()
        write_folder(folder, result, doc_ids, metadata, schemas)
        check = Corpus(repo, schemas, [repo.gold, Store(PREDICTION_STORE, folder, PREDICTION)])
        checker = Checker(check).start()
        if checker.readable:
            stream.run(check, [checker], jobs=args.jobs, label="check", progress=show_progress(args))
        problems = checker.finish().problems
        if problems:
            return refuse(problems, "baseline")
        _swap(folder, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"wrote {_shown(repo, out)} ({', '.join(result)})")
    return 0
