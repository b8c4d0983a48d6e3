"""Lint as a consumer of the corpus stream, behind the validator: one pass reads every document once.

The Checker runs first on each document; lint runs only when the whole repository validates (LintRefusedError
otherwise), because every lint reads fields the schemas guarantee, and cluster and lineage lints and stale
waivers need every document: a lint over part of the data would report waivers of the skipped part as stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..check.run import Checker, all_stores
from ..layers import BY_NAME, REGISTRY_LAYERS, SPAN_LAYERS
from ..loading import InvalidDatasetError
from ..problems import Problem
from ..read import stream
from ..read.corpus import Corpus, Document
from ..read.jsonl import Record
from ..repo import Repo
from ..schemas import Schemas
from . import attribution, clusters, kinds, lineage, modality, quantities, spans  # noqa: F401  (registers rules)
from .engine import CORPUS, DOCUMENT, Kept, LintWarning, run_rules
from .quantities import vague
from .text import Text
from .views import CorpusView, DocumentView, LineageDocument, Member, nested
from .waivers import Verdict, apply, read_waivers

FURNITURE, CLUSTERS = BY_NAME["boilerplate"], BY_NAME["clusters"]
KEPT_FIELDS = ("id", "start", "end", "type", "modality", "quantity")  # what the CORPUS lints read of a claim


class LintRefusedError(InvalidDatasetError):
    """The repository does not validate, so it is not linted; `problems` are the validator's."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.text() for p in problems))
        self.problems = problems


class LintPass:
    """The consumer: DOCUMENT lints per document, and what the CORPUS lints need gathered on the way."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.gold = corpus.gold_store().name
        self.warnings: list[LintWarning] = []
        self.members: dict[str, list[Member]] = {}
        self.lineage: list[LineageDocument] = []
        self.ids: set[str] = set()  # every record id, for telling a stale waiver's record is gone

    def fresh(self) -> LintPass:
        return LintPass(self.corpus)

    def document(self, doc: Document) -> None:
        if doc.flawed or doc.seed.text is None:
            return  # never reached in a run that lints: any flaw refuses the whole run
        layers = {layer.name: doc.files[self.gold][layer.name].records for layer in SPAN_LAYERS}
        view = DocumentView(doc.doc_id, doc.record, Text(doc.seed.text, layers[FURNITURE.name]), layers)
        self.warnings += run_rules(DOCUMENT, view)
        self.ids.add(doc.doc_id)
        self.ids.update(r.data["id"] for records in layers.values() for r in records)
        self._gather(view)

    def _gather(self, view: DocumentView) -> None:
        """Keep what the CORPUS lints need of this document, each claim slimmed to the fields they read."""
        kept: dict[str, Kept] = {}

        def keep(claim: Record) -> Kept:
            if claim.data["id"] not in kept:
                kept[claim.data["id"]] = Kept.of(claim, KEPT_FIELDS)
            return kept[claim.data["id"]]

        by_cluster: dict[str, list[Record]] = {}
        for claim in view.claims:
            if claim.data["cluster_id"] is not None:
                by_cluster.setdefault(claim.data["cluster_id"], []).append(claim)
        for cluster_id, claims in by_cluster.items():
            self.members.setdefault(cluster_id, []).extend(
                Member(
                    keep(claim),
                    tuple(view.entity_of[s] for s in claim.data["source_ids"]),
                    nested(claim, claims),
                    claim.data["quantity"] is not None and vague(view.words(claim)) is not None,
                )
                for claim in claims
            )
        originals = frozenset(entry["outlet"] for entry in view.record.data["lineage"])
        if originals:
            # A fresh Text: the alignment needs sentences only, not the words the document lints computed.
            text = Text(view.text.text, view.layers[FURNITURE.name])
            claims = [keep(claim) for claim in view.claims]
            self.lineage.append(LineageDocument(view.doc_id, originals, text, claims))

    def end_batch(self) -> None:
        pass

    def merge(self, other: LintPass) -> None:
        self.warnings += other.warnings
        for cluster_id, members in other.members.items():
            self.members.setdefault(cluster_id, []).extend(members)
        self.lineage += other.lineage
        self.ids |= other.ids

    def finish(self) -> list[LintWarning]:
        registries = self.corpus.registries[self.gold]
        for layer in REGISTRY_LAYERS:
            self.ids.update(str(r.data.get(layer.id_field)) for r in registries[layer.name].records)
        by_id = {r.data["id"]: r for r in registries[CLUSTERS.name].records}
        view = CorpusView(by_id, self.members, sorted(self.lineage, key=lambda d: d.doc_id))
        return self.warnings + list(run_rules(CORPUS, view))


def place(problem: Problem) -> tuple[str, int, str, str]:
    """Print order: by file, line, rule and message (a Problem's optional fields do not compare)."""
    return problem.path, problem.line, problem.rule, problem.message


@dataclass
class LintReport:
    """Every warning with its verdict (waived or not), the warnings about waivers, and the waivers file's errors."""

    verdicts: list[Verdict] = field(default_factory=list)
    waiver_warnings: list[LintWarning] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def unwaived(self) -> list[LintWarning]:
        shown = [v.warning for v in self.verdicts if v.waiver is None] + self.waiver_warnings
        return sorted(shown, key=lambda w: place(w.problem))

    @property
    def waived(self) -> list[Verdict]:
        return sorted((v for v in self.verdicts if v.waiver is not None), key=lambda v: place(v.warning.problem))


def run(repo: Repo, *, jobs: int | None = None, progress: bool = False) -> LintReport:
    """Validate and lint the repository in one pass over the corpus; refuse (LintRefusedError) if it does not
    validate."""
    schemas = Schemas(repo)
    if schemas.problems():
        raise LintRefusedError(schemas.problems())
    corpus = Corpus(repo, schemas, all_stores(repo))
    checker = Checker(corpus).start()
    linter = LintPass(corpus)
    if checker.readable:
        stream.run(corpus, [checker, linter], jobs=jobs, label="lint", progress=progress)
    report = checker.finish()
    if report.problems:
        raise LintRefusedError(report.problems)
    waivers, errors = read_waivers(repo, schemas)
    verdicts, about_waivers = apply(linter.finish(), waivers, linter.ids)
    return LintReport(verdicts, about_waivers, errors)


def lint(repo: Repo) -> list[Problem]:
    """The quality warnings of a valid repository that no waiver hides, in path and line order.

    Raises LintRefusedError (an InvalidDatasetError) with the validator's problems when the repository does not
    validate. `run` gives more: the record id of each warning, the waived ones with their waivers, and the
    problems of the waivers file.
    """
    return [w.problem for w in run(repo).unwaived]
