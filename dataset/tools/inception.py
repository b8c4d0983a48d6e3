"""INCEpTION / WebAnno: a UIMA type system of custom layers, CAS XMI documents, and XMI exports read back.

Where each field lives: every span layer is a span layer ``webanno.custom.<Title>`` (``BoilerplateSpan``,
``SourceMention``, ``Claim``, ``ClaimCue``); every flat field is a String feature in lowerCamelCase
(``category``, ``claimType``, ``modality``, ``quantityValue`` as JSON number text, ``quantityUnit``,
``quantityQualifier``, ``entityId`` with the entity's registry fields ``entityName``, ``entityType``, ...,
``clusterId`` with ``clusterStatementDe``, ..., ``clusterConflictsWith`` as a StringArray, ``note``), the record
id and provenance in ``<layer>Id``, ``annotatedBy``, ``reviewedBy``, ``reviewStatus`` (features to hide in the
project), the chain a link feature ``sourceIds`` (FSArray of ``ClaimSourceIdsLink`` with ``role`` = position
and ``target`` = the mention) and the cue a link feature ``cue`` to a ``ClaimCue`` span. Numbers are text
because INCEpTION's number features are Integer and 32-bit Float only.

Offsets: UIMA (Java) counts UTF-16 code units; dkpro-cassis keeps code points in Python and converts on XMI
load and save (``Utf16CodepointOffsetConverter``), so the XMI we write has Java offsets. Before cassis sees an
import, we check each of our spans' raw offsets fall on a code point boundary (cassis only warns otherwise).

XML safety: cassis parses with lxml ``iterparse`` (entities resolved, no ``huge_tree`` unless ``trusted``). We
parse every file first with ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False`` and
refuse any DTD, so no entity can be defined, expanded or fetched; files over the size limit are not parsed.

Suggestions are written into the same XMI, each with the Boolean feature ``suggestion`` set: the document's
initial annotations in INCEpTION are what annotators start from, they untick ``suggestion`` to accept one and
delete it to reject it; still-ticked suggestions are not imported. An export of the curation user
(``DocumentMetaData.documentId == CURATION_USER``, or a file under ``curation/``) counts as curated.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Collection
from io import BytesIO

from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem
from lxml import etree

from dataset.problems import Problem, short

from .labels import Labels, SpanSpec, camel
from .model import (
    OffsetMap,
    Read,
    Region,
    ToolDocument,
    assemble,
    nearest,
    number_text,
    parse_number,
    pick_file,
    route_by_name,
    to_regions,
)

NAMESPACE = "webanno.custom."
SUGGESTION = "suggestion"
DOCUMENT_META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
CURATION_USER = "CURATION_USER"
TYPESYSTEM_FILE = "TypeSystem.xml"
PROJECT_SOURCES = "source/"  # where a project export keeps the documents as they were imported
_RESERVED = {"id", "type", "self", "begin", "end", "sofa", "role", "target", SUGGESTION}
_XMI_ID = "{http://www.omg.org/XMI}id"
_XMI_ROOT = "{http://www.omg.org/XMI}XMI"
_TYPESYSTEM_ROOT = "{http://uima.apache.org/resourceSpecifier}typeSystemDescription"


def type_name(spec: SpanSpec) -> str:
    return NAMESPACE + camel(spec.title)


def feature_name(spec: SpanSpec, path: str) -> str:
    name = camel(path, upper=False)
    return camel(spec.title, upper=False) + camel(path) if name in _RESERVED else name


def link_type_name(spec: SpanSpec, field: str) -> str:
    return type_name(spec) + camel(field) + "Link"


def typesystem(labels: Labels, with_metadata: bool = False) -> TypeSystem:
    """The project's layers as a UIMA type system; ``with_metadata`` adds DKPro's DocumentMetaData to read exports."""
    ts = TypeSystem()
    types = {
        s.layer: ts.create_type(type_name(s), "uima.tcas.Annotation", s.description or s.title) for s in labels.spans
    }
    for spec in labels.spans:
        domain = types[spec.layer]
        for f in spec.fields:
            kind = "uima.cas.StringArray" if f.kind == "strings" else "uima.cas.String"
            description = f"{'[hidden] ' if f.hidden else ''}{f.path}: {f.description}".strip(": ")
            ts.create_feature(domain, feature_name(spec, f.path), kind, description=description)
        for link in spec.links:
            link_type = ts.create_type(link_type_name(spec, link.field), "uima.cas.TOP")
            ts.create_feature(link_type, "role", "uima.cas.String")
            ts.create_feature(link_type, "target", types[link.target])
            ts.create_feature(domain, camel(link.field, upper=False), "uima.cas.FSArray", link_type, link.description)
        ts.create_feature(domain, SUGGESTION, "uima.cas.Boolean", description="A pre-annotation not yet accepted")
    if with_metadata:
        meta = ts.create_type(DOCUMENT_META, "uima.tcas.DocumentAnnotation")
        for name in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
            ts.create_feature(meta, name, "uima.cas.String")
        ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    return ts


README = """# INCEpTION project for the kursk-claims layers

Generated from the dataset's schemas by `dataset.tools.inception`; do not edit by hand. The steps follow
INCEpTION's documentation and have not been tried here; CONTRIBUTING.md ("Annotate in a tool") says how to check
a set-up before annotating (an untouched document must import with "nothing changed").

1. Create a project. In *Settings > Layers* press *Import* and choose `TypeSystem.xml`: INCEpTION creates the
   span layers {layers} with their features. Open each layer and check that it anchors on characters (not
   tokens), allows any overlap (claims nest) and may cross sentence boundaries (boilerplate does).
2. In *Settings > Tagsets* import each file of `tagsets/` (JSON format) and, in *Layers*, set it as the tagset
   of the feature it is named after (`<layer>.<field>` -> the feature in lowerCamelCase).
3. The features {hidden} hold the record's id and provenance: never edit or delete them (hide them from
   annotators where INCEpTION allows). The link features {links} point at the spans a record links to
   (a chain in its order: outermost source first).
4. In *Settings > Documents* import each `<doc_id>.xmi` with the format *UIMA CAS XMI (XML 1.0)*, keeping its
   name. Annotations with `suggestion` ticked are pre-annotations: untick to accept, delete to reject.
5. To bring the work back, export the document (or the project, or the curated documents) as *UIMA CAS XMI
   (XML 1.0)*, unzip it into an empty folder, and run `python -m dataset import-tool inception FOLDER`.
"""


def project_config(labels: Labels) -> dict[str, bytes]:
    """``TypeSystem.xml`` (import it as the project's layers), a tagset per closed field, and a README."""
    files = {TYPESYSTEM_FILE: typesystem(labels).to_xml().encode("utf-8")}
    hidden = []
    for spec in labels.spans:
        for f in spec.fields:
            if f.hidden:
                hidden.append(f"`{feature_name(spec, f.path)}`")
            if f.kind != "enum":
                continue
            tagset = {
                "name": f"{spec.layer}.{f.path}",
                "description": f.description,
                "language": None,
                "tags": [{"tag_name": value, "tag_description": ""} for value in f.values],
                "create_tag": False,
            }
            files[f"tagsets/{spec.layer}.{f.path}.json"] = (
                json.dumps(tagset, ensure_ascii=False, indent=2) + "\n"
            ).encode()
    layers = ", ".join(f"`{type_name(s)}`" for s in labels.spans)
    links = ", ".join(f"`{camel(link.field, upper=False)}`" for spec in labels.spans for link in spec.links)
    text = README.format(layers=layers, hidden=", ".join(sorted(set(hidden))), links=links)
    files["README.md"] = text.encode("utf-8")
    return files


def _cas(regions: list[Region], labels: Labels, text: str) -> Cas:
    ts = typesystem(labels)
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    fs_array = ts.get_type("uima.cas.FSArray")
    string_array = ts.get_type("uima.cas.StringArray")
    made = {}
    for r in regions:
        spec = labels.spec(r.layer)
        assert spec is not None, r.layer
        values: dict[str, object] = {}
        for path, value in r.fields.items():
            f = spec.field(path)
            assert f is not None, path
            if f.kind == "strings":
                value = string_array(elements=list(value))  # type: ignore[call-overload]
            elif f.kind == "number":
                value = number_text(value)  # type: ignore[arg-type]
            values[feature_name(spec, path)] = value
        if r.suggestion:
            values[SUGGESTION] = True
        made[r.key] = ts.get_type(type_name(spec))(begin=r.start, end=r.end, **values)
        cas.add(made[r.key])
    for r in regions:
        spec = labels.spec(r.layer)
        for name, keys in r.links.items():
            link_type = ts.get_type(link_type_name(spec, name))  # type: ignore[arg-type]
            links = [link_type(role=str(i), target=made[key]) for i, key in enumerate(keys, start=1)]
            made[r.key].set(camel(name, upper=False), fs_array(elements=links))
    return cas


def export_document(
    doc: ToolDocument,
    entities: list[dict],
    clusters: list[dict],
    labels: Labels,
    suggestions: ToolDocument | None = None,
) -> dict[str, bytes]:
    """``<doc>.xmi`` (import as *UIMA CAS XMI (XML 1.0)*) and the ``TypeSystem.xml`` it is written against."""
    regions = to_regions(doc, entities, clusters, labels)
    if suggestions is not None:
        regions += to_regions(suggestions, entities, clusters, labels, suggestion=True)
    xmi = _cas(regions, labels, doc.text).to_xmi()
    return {f"{doc.doc_id}.xmi": xmi.encode("utf-8"), TYPESYSTEM_FILE: typesystem(labels).to_xml().encode("utf-8")}


def safe_xml(data: bytes, path: str, root_tag: str) -> tuple[etree._Element | None, Problem | None]:
    """Parse without DTDs, entity expansion or network; anything with a DTD, or another root, is refused."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line = err.lineno or 1
        return None, Problem(path, line, "tool-xml", f"not well-formed XML: {err.msg}", "XML", "a syntax error")
    except ValueError as err:
        return None, Problem(path, 1, "tool-xml", f"not XML: {err}", "XML", "other data")
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        return None, Problem(path, 1, "tool-xml", "a DTD is not allowed (it could define entities)", "no DTD", "a DTD")
    if root.tag != root_tag:
        return None, Problem(
            path, root.sourceline or 1, "tool-xml", "not the expected document", root_tag, short(root.tag)
        )
    return root, None


def _check_offsets(root: etree._Element, labels: Labels, text: str, path: str) -> tuple[dict[int, int], list[Problem]]:
    """Source lines of our annotations by xmi:id, and a problem for each raw offset that is no code point boundary."""
    ours = {type_name(s).rsplit(".", 1)[1] for s in labels.spans}
    namespace = "http:///" + NAMESPACE.rstrip(".").replace(".", "/") + ".ecore"
    utf16 = OffsetMap.utf16(text)
    lines, problems = {}, []
    for elem in root:
        qname = etree.QName(elem) if isinstance(elem.tag, str) else None
        if qname is None or qname.namespace != namespace or qname.localname not in ours:
            continue
        try:
            ident = int(elem.get(_XMI_ID, ""))
            begin, end = int(elem.get("begin", "")), int(elem.get("end", ""))
        except ValueError:
            problems.append(
                Problem(path, elem.sourceline or 1, "tool-offset", "begin, end or xmi:id is not an integer")
            )
            continue
        lines[ident] = elem.sourceline or 1
        if utf16.from_tool(begin) is None or utf16.from_tool(end) is None:
            found = f"{begin}-{end}"
            problems.append(
                Problem(
                    path,
                    elem.sourceline or 1,
                    "tool-offset",
                    "offsets are no UTF-16 boundary of the text",
                    f"0..{utf16.prefix[-1]}",
                    found,
                )
            )
    return lines, problems


def _typesystem_for(files: dict[str, bytes], labels: Labels) -> tuple[TypeSystem | None, bool, Problem | None]:
    """The export's own type system when it has one (INCEpTION's ZIP does), else ours; and whether to be lenient."""
    named = [name for name in sorted(files) if name.rsplit("/", 1)[-1] == TYPESYSTEM_FILE]
    if not named:
        return typesystem(labels, with_metadata=True), True, None
    path, data, problem = pick_file(files, named[0], ".xml")
    if problem is None:
        _, problem = safe_xml(data, path, _TYPESYSTEM_ROOT)
    if problem is not None:
        return None, False, problem
    try:
        ts = load_typesystem(BytesIO(data))
    except Exception as err:  # cassis raises plain exceptions for bad type systems
        return None, False, Problem(path, 1, "tool-xml", f"not a UIMA type system: {err}", "a type system", "other XML")
    missing = [type_name(s) for s in labels.spans if not ts.contains_type(type_name(s))]
    if missing:
        return (
            None,
            False,
            Problem(path, 1, "tool-xml", "the type system lacks the project's layers", "the layers", short(missing)),
        )
    return ts, False, None


def _regions(cas: Cas, labels: Labels, lines: dict[int, int], path: str) -> tuple[list[Region], list[Problem]]:
    regions, problems = [], []
    for spec in labels.spans:
        for fs in cas.select(type_name(spec)):
            line = lines.get(fs.xmiID, 1)
            region = Region(str(fs.xmiID), spec.layer, fs.begin, fs.end, None, path=path, line=line)
            region.suggestion = bool(_feature(fs, SUGGESTION))
            for f in spec.fields:
                value = _feature(fs, feature_name(spec, f.path))
                if value is None:
                    continue
                if f.kind == "strings":
                    value = _elements(value)
                elif f.kind == "number":
                    value = parse_number(value) if parse_number(value) is not None else value
                region.fields[f.path] = value
            for link in spec.links:
                elements = _elements(_feature(fs, camel(link.field, upper=False)))
                roles = [str(_feature(e, "role") or "") for e in elements]
                if all(re.fullmatch("[0-9]{1,6}", r) for r in roles) and len(set(roles)) == len(roles):
                    order = sorted(range(len(elements)), key=lambda i: int(roles[i]))
                    elements = [elements[i] for i in order]
                targets = [_feature(e, "target") for e in elements]
                if any(t is None for t in targets):
                    problems.append(
                        Problem(path, line, "tool-reference", f"an empty {link.field} slot", "a target", "none")
                    )
                if targets:
                    region.links[link.field] = [str(t.xmiID) for t in targets if t is not None]
            regions.append(region)
    return regions, problems


def _elements(array: object) -> list:
    """The elements of a UIMA array feature; anything else (a hand-edited XMI) as no elements."""
    elements = getattr(array, "elements", None)
    return list(elements) if isinstance(elements, list) else []


def _feature(fs: object, name: str) -> object:
    try:
        return fs.get(name)  # type: ignore[attr-defined]
    except (AttributeError, KeyError):
        return None


def route(
    paths: Collection[str], read: Read, doc_ids: Collection[str]
) -> tuple[dict[str, dict[str, bytes]], list[Problem]]:
    """Each document's ``.xmi`` (named after it, or in a folder named after it, as in INCEpTION's project export:
    ``annotation/<doc_id>.xmi/<export>/<user>.xmi``), with the nearest ``TypeSystem.xml`` at or above it.

    A project export also keeps each document as it was imported under ``source/``: that is our own export, not
    an annotation, and is left out.
    """
    annotations = {path for path in paths if not path.startswith(PROJECT_SOURCES)}
    return route_by_name(annotations, read, doc_ids, ".xmi", lambda xmi: nearest(paths, xmi, TYPESYSTEM_FILE))


def import_document(
    files: dict[str, bytes],
    doc_id: str,
    text: str,
    existing: ToolDocument,
    entities: list[dict],
    clusters: list[dict],
    labels: Labels,
    user: str | None,
    reviewer: str | None = None,
) -> tuple[ToolDocument, list[dict], list[dict], list[Problem]]:
    """An INCEpTION XMI export (``<doc>.xmi``, or the one ``.xmi`` given, with its ``TypeSystem.xml`` if any).

    The author of changed records is the export's user (``DocumentMetaData.documentId``), else ``user``. In a
    curated export (``CURATION_USER``) ``reviewer`` (else ``user``) is the reviewer and ``user`` (else the
    reviewer) the author of records the curation added.
    """
    empty = ToolDocument(doc_id, text, {})
    path, data, problem = pick_file(files, f"{doc_id}.xmi", ".xmi")
    root = None
    if problem is None:
        root, problem = safe_xml(data, path, _XMI_ROOT)
    ts, lenient, ts_problem = _typesystem_for(files, labels)
    if problem is not None or ts_problem is not None:
        return empty, [], [], [p for p in (problem, ts_problem) if p is not None]
    lines, problems = _check_offsets(root, labels, text, path)  # type: ignore[arg-type]
    if problems:
        return empty, [], [], problems
    try:
        with warnings.catch_warnings():  # unknown types in lenient mode: INCEpTION's own (tokens, sentences)
            warnings.simplefilter("ignore")
            cas = load_cas_from_xmi(BytesIO(data), typesystem=ts, lenient=lenient, trusted=False)
    except Exception as err:  # cassis raises whatever its parser or type lookups raise
        return (
            empty,
            [],
            [],
            [Problem(path, 1, "tool-xml", f"not a CAS of the project's type system: {err}", "CAS XMI", "other XML")],
        )
    if cas.sofa_string != text:
        return (
            empty,
            [],
            [],
            [
                Problem(
                    path, 1, "tool-text", "the document text differs from the seed", "the seed", short(cas.sofa_string)
                )
            ],
        )
    tool_user = None
    if ts.contains_type(DOCUMENT_META):  # type: ignore[union-attr]
        metas = list(cas.select(DOCUMENT_META))
        tool_user = _feature(metas[0], "documentId") if metas else None
    curated = tool_user == CURATION_USER or path.startswith("curation/") or "/curation/" in path
    regions, problems = _regions(cas, labels, lines, path)
    if curated:
        author, review = user or reviewer, reviewer or user
    else:
        author, review = (tool_user if isinstance(tool_user, str) else user), reviewer
    doc, ents, cls, more = assemble(
        regions,
        doc_id=doc_id,
        text=text,
        existing=existing,
        entities=entities,
        clusters=clusters,
        labels=labels,
        author=author,
        reviewer=review,
        curated=curated,
        where=(path, 1),
    )
    return doc, ents, cls, problems + more
