"""The layers of the dataset, declared once; every command iterates over this table."""

from __future__ import annotations

from dataclasses import dataclass


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


@dataclass(frozen=True)
class Layer:
    """One annotation layer: its schema, where its files live and what it references.

    Span layers (``id_kind`` set) keep one file per document under
    ``annotations/<name>/<doc_id>.jsonl``, so validation streams document by
    document; registries keep one file, ``annotations/<name>.jsonl``.
    """

    name: str
    schema_file: str
    description: str
    id_field: str = "id"
    id_kind: str | None = None
    references: tuple[Reference, ...] = ()
    nested_spans: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()

    @property
    def is_span(self) -> bool:
        return self.id_kind is not None

    def sort_key(self, record: dict) -> tuple:
        """Canonical order: spans by position, registries by id; total even for malformed values."""
        if self.is_span:
            return (_position(record.get("start")), _position(record.get("end")), str(record.get("id")))
        return (str(record.get(self.id_field)),)


LAYERS: tuple[Layer, ...] = (
    Layer(
        "documents",
        "documents.schema.json",
        "One record per seed text, with its metadata and full text.",
        id_field="doc_id",
        derived=("seed_file", "sha256", "length", "text"),
    ),
    Layer(
        "entities",
        "entities.schema.json",
        "Registry of canonical sources of information.",
    ),
    Layer(
        "clusters",
        "clusters.schema.json",
        "The same proposition across documents, with contradictions.",
        references=(Reference("conflicts_with", "clusters", many=True),),
    ),
    Layer(
        "boilerplate",
        "boilerplate.schema.json",
        "Page furniture; its complement is the editorial content.",
        id_kind="bp",
    ),
    Layer(
        "sources",
        "sources.schema.json",
        "Mentions of who information is attributed to, linked to entities.",
        id_kind="src",
        references=(Reference("entity_id", "entities"),),
    ),
    Layer(
        "claims",
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
REGISTRY_LAYERS: tuple[Layer, ...] = tuple(layer for layer in LAYERS if not layer.is_span and layer.name != "documents")

# Boilerplate categories that may interrupt a sentence (and so lie inside a claim).
INTERRUPTING_CATEGORIES = frozenset({"link-list", "layout-artifact"})
# Boilerplate category inside which source mentions are allowed.
CREDITS_CATEGORY = "credits"
