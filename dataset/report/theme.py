"""Colours and line styles of the report, assigned to the values the schemas allow (never listed by hand).

Measured with the WCAG formula: the dark colours reach at least 5:1 against white (as white text on them, or as
lines and text on white), the entity backgrounds at least 5.7:1 under the near-black text (WCAG AA asks 4.5:1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Dark, colour-blind-friendly hues (after Okabe & Ito), used for underlines, badges and chart bars.
PALETTE = ("#0a5f96", "#8a5a00", "#006b4f", "#a3347f", "#b23a06", "#5a48a0", "#4d5a00", "#00687a", "#6d4c41")
# Modalities in schema order: the outlet's own voice plain, then reported, then hedged ever more marked.
MODALITY_PALETTE = ("#3b4a54", "#00687a", "#a3347f", "#b23a06")
# How a claim's modality draws its underline: hedged and reported claims look different at a glance.
LINE_STYLES = ("solid", "dashed", "dotted", "double")
CHART_COLOUR = "#3d5a80"
# Light backgrounds for source mentions (ColorBrewer Set3 and Paired tints), most distinct first.
ENTITY_PALETTE = (
    "#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5", "#ffed6f",
    "#bc80bd", "#ccebc5", "#e5c494", "#a6cee3", "#ffffb3", "#cab2d6", "#66c2a5", "#fc8d62",
)  # fmt: skip


def cycle(values: Iterable[str], choices: Sequence[str]) -> dict[str, str]:
    """Each value gets the next choice, in the schema's order, wrapping around when the choices run out."""
    return {value: choices[index % len(choices)] for index, value in enumerate(values)}


def entity_colours(documents: Iterable[set[str]], palette: Sequence[str] = ENTITY_PALETTE) -> dict[str, str]:
    """One colour per entity, the same on every page, and different for entities mentioned in the same document.

    Greedy colouring of the co-occurrence graph, most connected entities first; only when a document mentions
    more entities than the palette has colours do two of them share one.
    """
    neighbours: dict[str, set[str]] = {}
    for entities in documents:
        for entity in entities:
            neighbours.setdefault(entity, set()).update(entities - {entity})
    colours: dict[str, int] = {}
    for entity in sorted(neighbours, key=lambda e: (-len(neighbours[e]), e)):
        taken = {colours[n] for n in neighbours[entity] if n in colours}
        free = [i for i in range(len(palette)) if i not in taken]
        colours[entity] = free[0] if free else len(colours) % len(palette)
    return {entity: palette[index] for entity, index in colours.items()}
