"""The layers of the dataset, declared once; every command iterates over this table.

Each layer says what kind of layer it is, and the kind decides where its files live and how it is read:

- ``document``: one record per seed, hand-written metadata in ``annotations/<name>.jsonl``; the build adds the
  fields derived from the seed (``derived``) and publishes ``annotations/generated/<name>.jsonl``.
- ``registry``: one file, ``annotations/<name>.jsonl``, of records other layers refer to by id.
- ``span``: one file per document, ``annotations/<name>/<doc_id>.jsonl``, of spans into that document's seed;
  validation streams them document by document.

No code tests a layer's name: it asks for the kind, the references, the nested spans or the derived fields.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCUMENT, REGISTRY, SPAN = "document", "registry", "span"

# Fields every record carries to say who made and checked it; a system's predictions may leave them out.
PROVENANCE = ("annotated_by", "reviewed_by", "review_status", "note")


def _position(value: object) -> tuple[int, int | str]:
    """Integers first in numeric order, anything else after them as text (fmt must not crash on bad offsets)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value))


@dataclass(frozen=True)
class Reference:
    """A field whose value(s) must be ids of records in another layer."""

    field: str
    target: str
    many: bool = False
    same_document: bool = False
    symmetric: bool = False  # a link between records of one registry that holds both ways (conflicts)


@dataclass(frozen=True)
class Layer:
    """One annotation layer: its kind, schema, what it references and what the build derives for it."""

    name: str
    kind: str
    schema_file: str
    description: str
    id_field: str = "id"
    id_kind: str | None = None  # span ids are <doc_id>:<id_kind>-NNN
    references: tuple[Reference, ...] = ()
    nested_spans: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()  # fields the build adds to the hand-written records
    label_field: str | None = None  # a registry's naming field: a new record's id is its prefix and this slugged

    @property
    def is_span(self) -> bool:
        return self.kind == SPAN

    @property
    def is_registry(self) -> bool:
        return self.kind == REGISTRY

    @property
    def is_document(self) -> bool:
        return self.kind == DOCUMENT

    def sort_key(self, record: dict) -> tuple:
        """Canonical order: spans by position, other layers by id; total even for malformed values."""
        if self.is_span:
            return (_position(record.get("start")), _position(record.get("end")), str(record.get(self.id_field)))
        return (str(record.get(self.id_field)),)


LAYERS: tuple[Layer, ...] = (
    Layer(
        "documents",
        DOCUMENT,
        "documents.schema.json",
        "One record per seed text, with its metadata and full text.",
        id_field="doc_id",
        derived=("seed_file", "sha256", "length", "text"),
    ),
    Layer(
        "entities",
        REGISTRY,
        "entities.schema.json",
        "Registry of canonical sources of information.",
        label_field="name",
    ),
    Layer(
        "clusters",
        REGISTRY,
        "clusters.schema.json",
        "The same proposition across documents, with contradictions.",
        references=(Reference("conflicts_with", "clusters", many=True, symmetric=True),),
        label_field="statement_en",
    ),
    Layer(
        "boilerplate",
        SPAN,
        "boilerplate.schema.json",
        "Page furniture; its complement is the editorial content.",
        id_kind="bp",
    ),
    Layer(
        "sources",
        SPAN,
        "sources.schema.json",
        "Mentions of who information is attributed to, linked to entities.",
        id_kind="src",
        references=(Reference("entity_id", "entities"),),
    ),
    Layer(
        "claims",
        SPAN,
        "claims.schema.json",
        "Check-worthy propositions with type, modality and attribution.",
        id_kind="claim",
        references=(
            Reference("source_ids", "sources", many=True, same_document=True),
            Reference("cluster_id", "clusters"),
        ),
        nested_spans=("cue",),
    ),
)

BY_NAME: dict[str, Layer] = {layer.name: layer for layer in LAYERS}
SPAN_LAYERS: tuple[Layer, ...] = tuple(layer for layer in LAYERS if layer.is_span)
REGISTRY_LAYERS: tuple[Layer, ...] = tuple(layer for layer in LAYERS if layer.is_registry)
DOCUMENT_LAYER: Layer = next(layer for layer in LAYERS if layer.is_document)
DEFAULT_CONFIG = "claims"  # the config load_dataset gives without a name

# Guideline constants the cross-layer rules use (annotations/GUIDELINES.md, section 2).
INTERRUPTING_CATEGORIES = frozenset({"link-list", "layout-artifact"})  # may sit inside a claim's sentence
CREDITS_CATEGORY = "credits"  # source mentions may lie inside it
