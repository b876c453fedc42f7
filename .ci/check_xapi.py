"""Checks exported xAPI statements against Ralph's strict statement model.

Usage: python check_xapi.py STATEMENTS.json
Ralph (the LRS the sync test uses) accepts loose statements, so this holds
each statement pace exported to `BaseXapiStatement`, which forbids unknown
fields and empty values, and checks IRIs, UUIDs, language maps and
durations. It also checks what the model cannot: no nulls, no `version`,
and that the file holds every kind of statement pace writes, so a pass
means something.
"""

import json
import sys
from collections import Counter

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

VERBS = {
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/failed",
    "https://w3id.org/xapi/adl/verbs/satisfied",
}
INTERACTIONS = {"choice", "true-false", "sequencing"}


def nulls(value, path=""):
    if value is None:
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from nulls(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from nulls(item, f"{path}[{i}]")


def main(path):
    with open(path, encoding="utf-8") as f:
        statements = json.load(f)
    problems = []
    verbs = Counter()
    interactions = Counter()
    for i, statement in enumerate(statements):
        where = f"statement {i} ({statement.get('id', 'no id')})"
        try:
            BaseXapiStatement(**statement)
        except ValidationError as error:
            problems.append(f"{where}: {error}")
        problems += [f"{where}: null at {p}" for p in nulls(statement)]
        if "version" in statement:
            problems.append(f"{where}: has a version field")
        verbs[statement["verb"]["id"]] += 1
        kind = statement["object"].get("definition", {}).get("interactionType")
        if kind:
            interactions[kind] += 1
    if not VERBS <= set(verbs):
        problems.append(f"expected every verb {sorted(VERBS)}, found {dict(verbs)}")
    if not INTERACTIONS <= set(interactions):
        problems.append(f"expected every interaction type {sorted(INTERACTIONS)}, found {dict(interactions)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(
        f"{len(statements)} statements checked against BaseXapiStatement: "
        f"{len(problems)} problems; verbs {dict(verbs)}; interactions {dict(interactions)}"
    )
    return 1 if problems or not statements else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
