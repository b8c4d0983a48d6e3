"""The label sets and field lists of every tool configuration, derived from the schemas and the layer table.

Nothing here names a category, a claim type or a field: a value added to a schema enum, or a field added to a
layer, reaches INCEpTION, Label Studio and brat through these specs without touching the converters.

A span record is seen by the tools as a *region* with flat fields (``quantity.value``, ``entity.name``) plus
links: a chain (an ordered many-valued same-document reference, e.g. ``source_ids``) and nested spans (``cue``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dataset.layers import BY_NAME, LAYERS, Layer
from dataset.schemas import Schemas

STRUCTURE = ("id", "doc_id", "start", "end", "text")  # the span itself; "id" is also carried as a hidden field
PROVENANCE = ("annotated_by", "reviewed_by", "review_status")  # kept by the converter, not edited in the tools
HIDDEN = ("id", *PROVENANCE)


@dataclass(frozen=True)
class Field:
    """One flat field of a region: a scalar, or a list of strings.

    kind: ``enum`` (closed set ``values``), ``string``, ``number`` (carried as JSON text where a tool has no
    lossless number type) or ``strings``. ``group`` names the nullable object or registry record the field
    belongs to (None for top-level fields); ``required`` means present whenever its group is.
    """

    path: str
    kind: str
    values: tuple[str, ...] = ()
    required: bool = False
    group: str | None = None
    hidden: bool = False
    description: str = ""


@dataclass(frozen=True)
class Link:
    """A field whose value is other spans: a chain of another layer's records, or a nested bare span."""

    field: str
    target: str  # span layer name, or the nested layer name "<layer>.<field>"
    many: bool
    max_items: int | None = None
    description: str = ""


@dataclass(frozen=True)
class RegistryRef:
    """A reference to a registry record; the registry's content fields travel with the region as carriers."""

    field: str
    registry: str
    prefix: str  # carrier paths are "<prefix>.<registry field>"
    required: bool
    properties: tuple[str, ...]  # the registry record's key order
    content: tuple[str, ...]  # the registry fields carried (all but id and provenance)


@dataclass(frozen=True)
class SpanSpec:
    """What a tool needs to know about one span layer (or a nested span such as a claim's cue)."""

    layer: str
    title: str
    description: str
    properties: tuple[str, ...]  # canonical key order of a record; empty for nested spans
    fields: tuple[Field, ...]
    links: tuple[Link, ...] = ()
    refs: tuple[RegistryRef, ...] = ()
    groups: tuple[str, ...] = ()  # nullable object fields split into flat fields
    nested: bool = False

    def field(self, path: str) -> Field | None:
        return next((f for f in self.fields if f.path == path), None)

    def link(self, name: str) -> Link | None:
        return next((link for link in self.links if link.field == name), None)


@dataclass(frozen=True)
class Labels:
    """Every span layer's spec in dependency order (a chain's target layer comes before the chain's layer)."""

    spans: tuple[SpanSpec, ...]
    agent_pattern: str

    def spec(self, layer: str) -> SpanSpec | None:
        return next((s for s in self.spans if s.layer == layer), None)

    @property
    def records(self) -> tuple[SpanSpec, ...]:
        """The specs of real span layers (not nested spans)."""
        return tuple(s for s in self.spans if not s.nested)


def camel(name: str, upper: bool = True) -> str:
    """``source_ids`` -> ``SourceIds``; ``quantity.value`` -> ``QuantityValue`` (tool names must be identifiers)."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    text = "".join(p[:1].upper() + p[1:] for p in parts)
    return text if upper else text[:1].lower() + text[1:]


def _shape(schemas: Schemas, node: dict, base: str) -> tuple[dict, str, bool]:
    """The non-null alternative of a schema node, its base URI, and whether null is allowed."""
    node, base = schemas.resolve(node, base)
    nullable = False
    for key in ("oneOf", "anyOf"):
        if key in node:
            rest = []
            for alternative in node[key]:
                alt, alt_base = schemas.resolve(alternative, base)
                if alt.get("type") == "null":
                    nullable = True
                else:
                    rest.append((alt, alt_base))
            if len(rest) == 1:
                node, base = rest[0]
    kind = node.get("type")
    if isinstance(kind, list):
        nullable = nullable or "null" in kind
    return node, base, nullable


def _kind(node: dict) -> tuple[str, tuple[str, ...]]:
    if "enum" in node:
        return "enum", tuple(v for v in node["enum"] if v is not None)
    types = node.get("type")
    types = set(types) if isinstance(types, list) else {types}
    if types & {"number", "integer"}:
        return "number", ()
    if "array" in types:
        return "strings", ()
    return "string", ()


def _scalar(schemas: Schemas, path: str, node: dict, base: str, group: str | None, hidden: bool) -> Field:
    shape, _, nullable = _shape(schemas, node, base)
    kind, values = _kind(shape)
    description = node.get("description") or shape.get("description") or ""
    return Field(path, kind, values, not nullable, group, hidden, description)


def _registry_ref(schemas: Schemas, field: str, registry: Layer, required: bool) -> tuple[RegistryRef, list[Field]]:
    schema = schemas.schema(registry)
    props = schema["properties"]
    content = tuple(p for p in props if p not in HIDDEN)
    prefix = field[: -len("_id")] if field.endswith("_id") else field
    carriers = [_scalar(schemas, f"{prefix}.{p}", props[p], schema["$id"], prefix, False) for p in content]
    return RegistryRef(field, registry.name, prefix, required, tuple(props), content), carriers


def span_spec(schemas: Schemas, layer: Layer) -> list[SpanSpec]:
    """The spec of a span layer, followed by the specs of its nested spans."""
    schema = schemas.schema(layer)
    base = schema["$id"]
    props = schema["properties"]
    title = schema.get("title") or layer.name
    references = {r.field: r for r in layer.references}
    fields: list[Field] = []
    links: list[Link] = []
    refs: list[RegistryRef] = []
    groups: list[str] = []
    nested: list[SpanSpec] = []
    for name, node in props.items():
        if name in STRUCTURE and name != "id":
            continue
        shape, shape_base, nullable = _shape(schemas, node, base)
        description = node.get("description") or shape.get("description") or ""
        reference = references.get(name)
        if reference is not None and reference.many and reference.same_document:
            links.append(Link(name, reference.target, True, shape.get("maxItems"), description))
        elif reference is not None and not reference.many:
            ref, carriers = _registry_ref(schemas, name, BY_NAME[reference.target], not nullable)
            refs.append(ref)
            fields.append(_scalar(schemas, name, node, base, None, False))
            fields.extend(carriers)
        elif name in layer.nested_spans:
            target = f"{layer.name}.{name}"
            links.append(Link(name, target, False, 1, description))
            nested.append(SpanSpec(target, f"{title} {name}", description, (), (), nested=True))
        elif shape.get("type") == "object" and "properties" in shape:
            groups.append(name)
            required = set(shape.get("required", ()))
            for sub, sub_node in shape["properties"].items():
                field = _scalar(schemas, f"{name}.{sub}", sub_node, shape_base, name, False)
                fields.append(
                    Field(field.path, field.kind, field.values, sub in required, name, False, field.description)
                )
        else:
            fields.append(_scalar(schemas, name, node, base, None, name in HIDDEN))
    spec = SpanSpec(
        layer.name,
        title,
        schema.get("description", ""),
        tuple(props),
        tuple(fields),
        tuple(links),
        tuple(refs),
        tuple(groups),
    )
    return [spec, *nested]


def _dependency_order(layers: list[Layer]) -> list[Layer]:
    ordered: list[Layer] = []
    pending = list(layers)
    while pending:
        for layer in pending:
            needs = {r.target for r in layer.references if r.same_document}
            if needs <= {done.name for done in ordered} | {layer.name}:
                ordered.append(layer)
                pending.remove(layer)
                break
        else:  # a cycle: keep the table's order (the converters still resolve every link by key)
            ordered.extend(pending)
            break
    return ordered


def build_labels(schemas: Schemas) -> Labels:
    """All span specs of the dataset, read from the schema files of ``schemas``."""
    specs: list[SpanSpec] = []
    for layer in _dependency_order([layer for layer in LAYERS if layer.is_span]):
        specs.extend(span_spec(schemas, layer))
    common = schemas.documents["common.schema.json"]["$defs"]
    return Labels(tuple(specs), common["agent"]["pattern"])
