"""add: create a record from a quote (span layers), or a registry record with the records that use it.

Offsets and ids are computed, options come from the layer's schema (commands/options.py), and every step leaves
the dataset valid. A registry record never exists unused, so it is created together with its first use:
`add sources ... --new-entity NAME` makes the entity with the mention, `add claims ... --new-cluster` the cluster
with the claim, and `add entities` / `add clusters` make one only with existing records that will use it
(`--sources ID`, `--claims ID`) or change the fields of an existing one (`--id`). A link that holds both ways
(a cluster's conflicts) is written on both records. A record whose content a command changes is unreviewed again.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from ..anchor import AnchorError, locate
from ..derive.canonical import canonical_record
from ..layers import BY_NAME, REGISTRY_LAYERS, SPAN_LAYERS, Layer, Reference
from ..problems import FORMATTERS, Problem, short
from ..read.files import SafeReader
from ..repo import Repo
from ..schemas import Schemas
from ..write.store import ChangeRejectedError, read_records, transaction, write_layer
from .options import FieldOption, as_usage, check_record, field_options, flag, text, values

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = (
    "add a boilerplate span, source mention or claim from a quote (offsets and id are found for you), "
    "or an entity or cluster with the records that use it"
)
# Fields a command sets itself: the span and its id, and the review (a new or changed record is unreviewed).
SPAN_COMPUTED = ("id", "doc_id", "start", "end", "text", "reviewed_by", "review_status")
REGISTRY_COMPUTED = ("id", "annotated_by", "reviewed_by", "review_status")
UNREVIEWED = {"reviewed_by": None, "review_status": "unreviewed"}
NAME_FIELD = "name"  # a registry whose records have a name gets a new record by name: --new-entity NAME
SLUG_LIMIT = 48  # characters of a slug made from a label (ids stay short enough to read in a table)


def noun(layer: Layer) -> str:
    """One record of a registry: entities -> entity, clusters -> cluster."""
    return layer.name[:-3] + "y" if layer.name.endswith("ies") else layer.name.removesuffix("s")


def registry_flag(registry: Layer, field: str) -> str:
    """A new registry record's field as an option of the span layer that uses it: a one-word field would read as
    the span's own (--type, --description), so it carries the registry's noun (--entity-type); a compound one
    (--statement-de, --conflicts-with) says what it is."""
    return flag(field) if "_" in field else f"--{noun(registry)}-{flag(field)[2:]}"


def first_use(layer: Layer) -> list[tuple[Layer, Reference]]:
    """The span layers' single references to a registry: where a registry record is used (and can be created)."""
    return [
        (span, ref)
        for span in SPAN_LAYERS
        for ref in span.references
        if ref.target == layer.name and not ref.many and BY_NAME[ref.target].is_registry
    ]


def _registry_refs(layer: Layer) -> list[tuple[Reference, Layer]]:
    """A span layer's single references to a registry: each can create its target with --new-<noun>."""
    return [(ref, BY_NAME[ref.target]) for ref in layer.references if not ref.many and BY_NAME[ref.target].is_registry]


@dataclass
class NewRecord:
    """How a span layer's command creates a registry record it refers to."""

    ref: Reference
    registry: Layer
    new_dest: str
    by_name: bool  # --new-entity NAME (else --new-cluster [ID])
    options: list[FieldOption]


# -- options ---------------------------------------------------------------------------------------------------


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    layers = parser.add_subparsers(dest="layer", required=True, metavar="LAYER")
    schemas = Schemas(repo)
    for layer in SPAN_LAYERS:
        _register_span(layers, schemas, layer)
    for layer in REGISTRY_LAYERS:
        _register_registry(layers, schemas, layer)


def _register_span(layers, schemas: Schemas, layer: Layer) -> None:
    sub = layers.add_parser(layer.name, help=layer.description, description=f"add to {layer.name}: {layer.description}")
    sub.add_argument("--doc", required=True, type=text, help="document id (the seed's file stem)")
    sub.add_argument("--quote", required=True, type=text, help="the exact text of the span, copied from the seed")
    sub.add_argument(
        "--occurrence", type=int, help="which occurrence of the quote (1-based), when it occurs more than once"
    )
    fields = [n for n in schemas.properties(layer) if n not in SPAN_COMPUTED and n not in layer.nested_spans]
    options = field_options(schemas, layer, fields)
    creators: list[NewRecord] = []
    references = {ref.field: (ref, registry) for ref, registry in _registry_refs(layer)}
    for option in options:
        if option.field not in references:
            option.add_to(sub)
            continue
        ref, registry = references[option.field]
        group = sub.add_mutually_exclusive_group(required=option.required)
        FieldOption(option.field, option.flag, False, option.default, option.kwargs).add_to(group)
        creators.append(_register_new(sub, group, schemas, ref, registry))
    for name in layer.nested_spans:
        sub.add_argument(flag(name), type=text, help=f"quote of the {name} span, if any (found inside the span first)")
        sub.add_argument(flag(name) + "-occurrence", type=int, help=f"which occurrence of the {name} quote in the seed")
    sub.set_defaults(run=run, layer_obj=layer, options=options, creators=creators, usage=sub)


def _register_new(sub, group, schemas: Schemas, ref: Reference, registry: Layer) -> NewRecord:
    name = noun(registry)
    new_flag = f"--new-{name}"
    by_name = NAME_FIELD in schemas.properties(registry)
    if by_name:
        group.add_argument(new_flag, type=text, metavar="NAME", help=f"create the {name} of this name with this record")
    else:
        group.add_argument(
            new_flag,
            nargs="?",
            const="",
            type=text,
            metavar="ID",
            help=f"create a new {name} with this record (its id: ID, else made from its {registry.label_field})",
        )
    skip = {*REGISTRY_COMPUTED, *([NAME_FIELD] if by_name else [])}
    fields = [f for f in schemas.properties(registry) if f not in skip]
    options = field_options(schemas, registry, fields, name=lambda f: registry_flag(registry, f))
    for option in options:
        extra = dict(option.kwargs, help=f"with {new_flag}: {option.kwargs.get('help') or option.field}")
        FieldOption(option.field, option.flag, False, None, extra).add_to(sub)
    return NewRecord(ref, registry, new_flag[2:].replace("-", "_"), by_name, options)


def _register_registry(layers, schemas: Schemas, layer: Layer) -> None:
    uses = first_use(layer)
    how = "; ".join(f"add {span.name} ... --new-{noun(layer)}" for span, _ in uses)
    sub = layers.add_parser(
        layer.name,
        help=f"{layer.description} (with the records that use it, or change one)",
        description=(
            f"create a{'n' if noun(layer)[0] in 'aeiou' else ''} {noun(layer)} together with existing records "
            f"that use it, or change the fields of an existing one (--id). A new {noun(layer)} with a new record "
            f"is made by: {how}."
        ),
    )
    sub.add_argument("--id", type=text, help=f"the {noun(layer)} to change (or the id of a new one)")
    fields = [f for f in schemas.properties(layer) if f not in REGISTRY_COMPUTED]
    options = field_options(schemas, layer, fields)
    for option in options:
        option.add_to(sub, editing=True)
    annotated = field_options(schemas, layer, ["annotated_by"])[0]
    FieldOption(annotated.field, annotated.flag, False, None, annotated.kwargs).add_to(sub)
    for span, ref in uses:
        sub.add_argument(
            flag(span.name),
            action="append",
            default=[],
            type=text,
            metavar="ID",
            help=f"an existing {span.name} record to link to this {noun(layer)} (sets its {ref.field}; repeat)",
        )
    sub.set_defaults(run=run, layer_obj=layer, options=options, uses=uses, usage=sub)


# -- ids --------------------------------------------------------------------------------------------------------


def _next_id(layer: Layer, doc: str, records: list[dict]) -> str:
    numbers = [int(m.group(1)) for r in records if (m := re.search(r"-(\d+)$", str(r.get("id", ""))))]
    return f"{doc}:{layer.id_kind}-{max(numbers, default=0) + 1:03d}"


_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slug(label: str, limit: int = SLUG_LIMIT) -> str:
    """Lower-case ASCII words joined by '-', cut at a word boundary: 'Dmitry Peskov' -> 'dmitry-peskov'."""
    plain = unicodedata.normalize("NFKD", label.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode()
    plain = re.sub(r"(?<=\d)[,.](?=\d{3})", "", plain.lower())  # 50,000 -> 50000
    words = re.findall(r"[a-z0-9]+", plain)
    out = ""
    for word in words:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word[:limit]
    return out


def _slug_of(args: argparse.Namespace, label: str, option: str) -> str:
    made = slug(label)
    if not made:
        _usage(args, f"{option}: {label!r} has no letters or digits (a-z, 0-9) to make an id from; give the id")
    return made


def id_prefix(schemas: Schemas, registry: Layer) -> str:
    """The literal start of a registry's id pattern (ent-, cl-), from its schema."""
    match = re.match(r"\^([a-z]+-)", schemas.field(registry, registry.id_field).get("pattern", ""))
    return match.group(1) if match else ""


# -- shared steps -------------------------------------------------------------------------------------------------


def _not_written(problems: list[Problem], why: str, code: int = 1) -> int:
    print(FORMATTERS["text"](problems), file=sys.stderr)
    print(f"add: not written: {why}", file=sys.stderr)
    return code


class UsageError(Exception):
    """Options that cannot go together, or that name something that is not there: said as argparse would."""


def _usage(args: argparse.Namespace, message: str) -> NoReturn:
    raise UsageError(message)


def _line_of(records: list[dict], key: str, value: object) -> int:
    return next((i for i, r in enumerate(records, start=1) if r.get(key) == value), len(records) + 1)


class Change:
    """The files one command changes, read once each, written in one transaction."""

    def __init__(self, repo: Repo, schemas: Schemas) -> None:
        self.repo, self.schemas = repo, schemas
        self.files: dict[Path, tuple[Layer, list[dict]]] = {}
        self.problems: list[Problem] = []

    def records(self, layer: Layer, doc: str | None = None) -> list[dict]:
        path = self.repo.layer_file(layer, doc)
        if path not in self.files:
            records, broken = read_records(self.repo, path)
            self.problems += broken
            self.files[path] = (layer, records)
        return self.files[path][1]

    def write(self) -> None:
        with transaction(self.repo) as writes:
            for path, (layer, records) in self.files.items():
                write_layer(writes, layer, path, records, self.schemas)

    def where(self, layer: Layer, key: str, value: object, doc: str | None = None) -> str:
        """path:line of a record after writing."""
        path = self.repo.layer_file(layer, doc)
        records, _ = read_records(self.repo, path)
        return f"{self.repo.rel(path)}:{_line_of(records, key, value)}"


def _link_back(change: Change, registry: Layer, record: dict, old: dict | None) -> list[str]:
    """Write the symmetric links of a record on the records it names (and drop the ones it no longer names)."""
    touched = []
    records = {r.get(registry.id_field): r for r in change.records(registry)}
    me = record[registry.id_field]
    for ref in registry.references:
        if not ref.symmetric:
            continue
        now, before = set(record.get(ref.field) or []), set((old or {}).get(ref.field) or [])
        for other_id in sorted(now ^ before):
            other = records.get(other_id)
            if other is None or other is record:
                continue  # a dangling or self link is the validator's to report
            links = list(other.get(ref.field) or [])
            if other_id in now and me not in links:
                links.append(me)
            elif other_id not in now and me in links:
                links.remove(me)
            else:
                continue
            other[ref.field] = links
            other.update(UNREVIEWED)
            touched.append(other_id)
    return touched


def _mark_changed(record: dict, changes: dict) -> bool:
    changed = any(record.get(k) != v for k, v in changes.items())
    if changed:
        record.update(changes)
        record.update(UNREVIEWED)
    return changed


# -- span layers ------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    try:
        return _run_registry(args) if args.layer_obj.is_registry else _run_span(args)
    except UsageError as err:
        args.usage.print_usage(sys.stderr)
        print(Problem(".", 0, "usage", f"{args.usage.prog}: {err}").text(), file=sys.stderr)
        print("add: not written", file=sys.stderr)
        return 2


def _new_registry_record(args: argparse.Namespace, creator: NewRecord, change: Change) -> dict | None:
    """The registry record --new-X asks for (None when it is not given); usage errors for what it lacks."""
    given = getattr(args, creator.new_dest)
    registry = creator.registry
    fields = {o.field: getattr(args, o.dest) for o in creator.options}
    if given is None:
        stray = [o.flag for o in creator.options if fields[o.field] not in (None, [])]
        if stray:
            _usage(args, f"{', '.join(stray)} only with {flag(creator.new_dest)}")
        return None
    missing = [o.flag for o in creator.options if o.required and fields[o.field] is None]
    if missing:
        _usage(args, f"{flag(creator.new_dest)} needs {', '.join(missing)}")
    record: dict = {o.field: (fields[o.field] if fields[o.field] is not None else o.default) for o in creator.options}
    prefix = id_prefix(change.schemas, registry)
    if creator.by_name:  # --new-entity NAME: the id is made from the name
        record[NAME_FIELD] = given
        new_id = prefix + _slug_of(args, given, flag(creator.new_dest))
    elif given:  # --new-cluster ID
        new_id = given if given.startswith(prefix) else prefix + given
    else:  # --new-cluster: the id is made from the label field
        new_id = prefix + _slug_of(args, str(record.get(registry.label_field) or ""), flag(registry.label_field))
    record = {registry.id_field: new_id, **record, "annotated_by": args.annotated_by, **UNREVIEWED}
    return canonical_record(registry, record, change.schemas)


def _taken(repo: Repo, registry: Layer, records: list[dict], record_id: str, hint: str) -> Problem:
    """A new registry record whose id (made from its name) another record has."""
    line = _line_of(records, registry.id_field, record_id)
    existing = records[line - 1]
    message = (
        f"{noun(registry)} {record_id} exists already; {hint}, or name the new {noun(registry)} so that it differs"
    )
    return Problem(repo.rel(repo.layer_file(registry)), line, "id-taken", message, "a new id", short(existing, 100))


def _anchor_problem(repo: Repo, doc: str, err: AnchorError, what: str) -> Problem:
    return Problem(repo.rel(repo.seed(doc)), err.line, "anchor", f"{what}{err}", err.expected, err.found)


def _run_span(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    layer: Layer = args.layer_obj
    schemas = Schemas(repo)
    if not schemas.is_doc_id(args.doc) or not repo.seed(args.doc).is_file():
        _usage(args, f"--doc: unknown document {args.doc!r} (expected the stem of a file in seeds/)")
    change = Change(repo, schemas)
    creators: list[NewRecord] = args.creators
    new_records = [(c, _new_registry_record(args, c, change)) for c in creators]
    seed_text, unreadable = SafeReader(repo.root).read_text(repo.seed(args.doc))
    existing = change.records(layer, args.doc)
    for creator, new in new_records:
        if new is not None:
            change.records(creator.registry)
    if seed_text is None or change.problems:
        return _not_written([p for p in [unreadable, *change.problems] if p is not None], "fix these problems first")
    try:
        start, end = locate(seed_text, args.quote, args.occurrence)
        nested = {}
        for name in layer.nested_spans:
            quote = getattr(args, name)
            if quote is None:
                nested[name] = None
                continue
            option = flag(name) + "-occurrence"
            try:
                s, e = locate(seed_text, quote, getattr(args, f"{name}_occurrence"), option=option, within=(start, end))
            except AnchorError as err:
                return _not_written(
                    [_anchor_problem(repo, args.doc, err, f"{flag(name)}: ")], "the quote was not placed"
                )
            nested[name] = {"start": s, "end": e, "text": seed_text[s:e]}
    except AnchorError as err:
        return _not_written([_anchor_problem(repo, args.doc, err, "--quote: ")], "the quote was not placed")
    record: dict = {
        "id": _next_id(layer, args.doc, existing),
        "doc_id": args.doc,
        "start": start,
        "end": end,
        "text": seed_text[start:end],
        **values(args, args.options),
        **nested,
        **UNREVIEWED,
    }
    usage: list[Problem] = []
    added: list[tuple[Layer, dict]] = []
    for creator, new in new_records:
        if new is None:
            continue
        registry = creator.registry
        registry_records = change.records(registry)
        new_id = new[registry.id_field]
        if any(r.get(registry.id_field) == new_id for r in registry_records):
            hint = f"link to it with {flag(creator.ref.field)} {new_id}"
            return _not_written([_taken(repo, registry, registry_records, new_id, hint)], "id taken")
        usage += as_usage(f"add {layer.name}", check_record(schemas, registry, new), creator.options)
        record[creator.ref.field] = new[registry.id_field]
        added.append((registry, new))
    record = canonical_record(layer, record, schemas)
    usage += as_usage(f"add {layer.name}", check_record(schemas, layer, record), args.options)
    if usage:
        return _not_written(usage, "fix the options above", 2)
    existing.append(record)
    for registry, new in added:
        change.records(registry).append(new)
        _link_back(change, registry, new, None)
    try:
        change.write()
    except ChangeRejectedError as err:
        return _not_written(err.problems, "the record would make the dataset invalid")
    for registry, new in added:
        where = change.where(registry, registry.id_field, new[registry.id_field])
        print(f"{where}: added {new[registry.id_field]} {short(new.get(registry.label_field), 60)}")
    where = change.where(layer, "id", record["id"], args.doc)
    print(f"{where}: added {record['id']} [{record['start']}, {record['end']}) {record['text'][:60]!r}")
    return 0


# -- registries -------------------------------------------------------------------------------------------------


def _run_registry(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    layer: Layer = args.layer_obj
    schemas = Schemas(repo)
    change = Change(repo, schemas)
    records = change.records(layer)
    if change.problems:
        return _not_written(change.problems, "fix these problems first")
    given = values(args, args.options)
    members = {span.name: getattr(args, span.name.replace("-", "_")) for span, _ in args.uses}
    label = given.get(layer.label_field)
    record_id = args.id
    if record_id is None:
        if not label:
            _usage(args, f"give --id of the {noun(layer)} to change, or {flag(layer.label_field)} of a new one")
        record_id = id_prefix(schemas, layer) + _slug_of(args, str(label), flag(layer.label_field))
    record = next((r for r in records if r.get(layer.id_field) == record_id), None)
    if record is not None and args.id is None:  # meant as a new record: never change another one by its name
        return _not_written([_taken(repo, layer, records, record_id, f"change it with --id {record_id}")], "id taken")
    old = dict(record) if record is not None else None
    if record is None:
        hows = "; ".join(
            f"{flag(span.name)} ID (existing {span.name}), or with a new one: add {span.name} ... --new-{noun(layer)}"
            for span, _ in args.uses
        )
        if not any(members.values()):
            _usage(args, f"a new {noun(layer)} must be used by a record ({layer.name} nobody uses are invalid): {hows}")
        missing = [o.flag for o in args.options if o.required and o.field not in given]
        if args.annotated_by is None:
            missing.append("--annotated-by")
        if missing:
            _usage(args, f"a new {noun(layer)} needs {', '.join(missing)}")
        record = {layer.id_field: record_id}
        for option in args.options:
            record[option.field] = given.get(option.field, option.default)
        record.update(annotated_by=args.annotated_by, **UNREVIEWED)
        records.append(record)
        verb = "added"
    else:
        if not given and not any(members.values()):
            _usage(
                args, f"nothing to change: give the fields to set, or {', '.join(flag(s.name) for s, _ in args.uses)}"
            )
        _mark_changed(record, given)
        verb = "changed"
    usage = as_usage(f"add {layer.name}", check_record(schemas, layer, record), args.options)
    if usage:
        return _not_written(usage, "fix the options above", 2)
    linked = _link_back(change, layer, record, old)
    moved = []
    for span, ref in args.uses:
        for member in members[span.name]:
            doc = member.split(":", 1)[0]
            if not schemas.is_doc_id(doc) or not repo.seed(doc).is_file():
                _usage(args, f"{flag(span.name)}: {member!r} is not an id of a {span.name} record (<doc_id>:...)")
            span_records = change.records(span, doc)
            target = next((r for r in span_records if r.get(span.id_field) == member), None)
            if target is None:
                rel = repo.rel(repo.layer_file(span, doc))
                _usage(args, f"{flag(span.name)}: no record {member} in {rel}")
            if _mark_changed(target, {ref.field: record_id}):
                moved.append((span, doc, member))
    if change.problems:
        return _not_written(change.problems, "fix these problems first")
    try:
        change.write()
    except ChangeRejectedError as err:
        return _not_written(err.problems, f"the {noun(layer)} would make the dataset invalid")
    label = short(record.get(layer.label_field), 60)
    print(f"{change.where(layer, layer.id_field, record_id)}: {verb} {record_id} {label}")
    for other in linked:
        print(f"{change.where(layer, layer.id_field, other)}: changed {other} (the link back to {record_id})")
    for span, doc, member in moved:
        print(f"{change.where(span, span.id_field, member, doc)}: changed {member} ({span.name} of {record_id})")
    return 0
