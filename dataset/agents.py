"""Who did the work: an agent id says whether it names a person or a model session.

A person's id starts with `person-` (`person-jdoe`); every other id (`annotator-a1`, `reviewer-r5`, ...) names a
model session. So the data itself tells hand-checked records from machine-checked ones: a record a person has
checked has a person's id in `reviewed_by`. `review apply` accepts verdicts only from a person's id, and the
README's figures count the records a person has checked.
"""

from __future__ import annotations

PERSON_PREFIX = "person-"


def is_person(agent: object) -> bool:
    """Whether an agent id names a person (the rest of the id is the schema's to check)."""
    return isinstance(agent, str) and agent.startswith(PERSON_PREFIX) and len(agent) > len(PERSON_PREFIX)
