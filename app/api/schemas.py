"""JSON Schemas of the API's bodies (OpenAPI 3.1 = JSON Schema 2020-12), for the document's
``components/schemas``. Shared shapes live here; a module may add its own with
:func:`component`. Objects list the keys they always carry (``required``) and stay open to
keys added later; ``null`` is spelled out where the code can give it.
"""

from __future__ import annotations

from app.domain.bulletin.types import FACT_TYPES, ITEM_KINDS, ITEM_STATUSES, OPTION_SOURCES
from app.models.certification import ATTEMPT_STATUSES
from app.models.content import VERSION_STATUSES

SCHEMAS: dict[str, dict] = {}

STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}


def obj(required: list[str], **props) -> dict:
    """An object schema; every key of ``required`` must also be a property."""
    return {"type": "object", "required": required, "properties": props}


def strict(**props) -> dict:
    """An object whose every property is required."""
    return obj(list(props), **props)


def arr(items: dict, **extra) -> dict:
    """An array schema."""
    return {"type": "array", "items": items, **extra}


def null(schema: dict) -> dict:
    """The schema, or null."""
    if "type" not in schema:  # a $ref or an enum
        if "enum" in schema:
            return {**schema, "enum": [*schema["enum"], None]}
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    return {**schema, "type": [*(kind if isinstance(kind, list) else [kind]), "null"]}


def ref(name: str) -> dict:
    """A reference to a component schema."""
    if name not in SCHEMAS:
        raise KeyError(f"no component schema {name!r}")
    return {"$ref": f"#/components/schemas/{name}"}


def component(name: str, schema: dict) -> dict:
    """Register a component schema (once) and return a reference to it."""
    if name in SCHEMAS and SCHEMAS[name] != schema:
        raise ValueError(f"component schema {name!r} defined twice")
    SCHEMAS[name] = schema
    return ref(name)


ERROR = component("Error", strict(error=obj(
    ["code", "message", "details"],
    code={"type": "string", "description": "A stable machine-readable code, e.g. "
          "missing_field, not_found, conflict"},
    message={"type": "string", "description": "What is wrong, naming the field or value"},
    details={"description": "null, {field}, or a list naming rows, lines or fields"},
)))

# --- eligibility ------------------------------------------------------------------------------

MISSING = component("MissingRequirement", strict(
    bulletin=STR, version=INT, due=TIME, title=STR, expired=BOOL))
ELIGIBILITY = component("Eligibility", strict(
    agent={"type": "string", "description": "external_id (or the internal id)"},
    name=STR, team=null(STR), active=BOOL,
    version={"type": "integer", "minimum": 0,
             "description": "Grows by one on every change of this agent's eligibility"},
    cleared=arr(strict(skill=STR, valid_until=null(TIME))),
    blocked=arr(strict(skill=STR, missing=arr(MISSING), inactive=BOOL)),
    due=arr({"allOf": [MISSING, obj(["skill"], skill=STR)]}),
))

# --- bulletins and items ----------------------------------------------------------------------

OPTION = component("Option", strict(
    id=INT, text=STR, correct=BOOL, source=null({"enum": list(OPTION_SOURCES)})))
ITEM = component("Item", obj(
    ["id", "fact", "kind", "stem", "options", "explanation", "status"],
    id={"type": "string", "description": "The item's key in the quiz file"},
    fact=STR, kind={"enum": list(ITEM_KINDS)}, stem=STR, options=arr(OPTION),
    explanation=null(STR), status={"enum": list(ITEM_STATUSES)},
    fingerprint={"type": "string", "description": "A digest of the item as read (status, "
                 "kind, stem, options, explanation): send it back as `loaded` in PUT "
                 "/bulletins/{slug}/items/{item_key} so that an edit over a newer one is "
                 "refused (409 item_changed)"}))
ITEMS = component("ItemList", strict(items=arr(ITEM)))
FACT = strict(id=STR, label=STR, value=STR, type={"enum": list(FACT_TYPES)}, was=null(STR),
              critical=BOOL, **{"not": arr(STR)})
VERSION = component("BulletinVersion", obj(
    ["id", "version", "status", "title", "lang", "effective", "deadline", "gate_at", "skills",
     "teams", "change", "html", "facts"],
    id={"type": "string", "description": "The bulletin's slug"}, version=INT,
    status={"enum": list(VERSION_STATUSES)}, title=STR, lang=STR, effective=DAY,
    deadline=null(DAY), gate_at=null(TIME), skills=arr(STR), teams=arr(STR),
    change=null({"enum": ["material", "minor"]}),
    html={"type": "string", "description": "The body, rendered and sanitised"},
    facts=arr(FACT), items={**arr(ITEM), "description": "Absent from the publish answer"},
    revision={"type": "string", "description": "Edit token of this version (number.revision):"
              " send it back as `revision` in POST /bulletins/{slug}/versions so that a save "
              "over a newer edit is refused (409 edit_conflict)"},
    edited_by=null(STR), edited_at=null(TIME),
    untested_facts={**arr(strict(fact=STR, label=STR)),
                    "description": "The publish answer only: the facts agents are not asked "
                    "about because none of their items is approved (never a critical fact: "
                    "publishing refuses that); empty when every fact is tested"},
    translation_of={**null(STR), "description": "The original's slug when this bulletin is "
                    "its translation (the same change in another language), else null"},
    translations={**arr(strict(bulletin=STR, lang=STR, version=INT, translates=INT,
                               current=BOOL)),
                  "description": "GET /bulletins/{slug} only: this bulletin's translations, "
                  "each one's newest published version, the version of this bulletin it "
                  "translates, and whether it is current (false: a material version was "
                  "published since and the translation needs a new version)"}))
ITEM_OPTION_IN = obj(["text"], text=STR, correct=BOOL, source=null(STR), id=INT)

# --- attempts ---------------------------------------------------------------------------------

ASKED = component("AskedItem", obj(
    ["id", "stem", "options"], id=INT, kind={"enum": list(ITEM_KINDS)}, stem=STR,
    options=arr(strict(id=INT, text=STR))))
RESULT = component("GradedResult", obj(
    ["score", "passed", "facts", "eligibility"],
    attempt=INT, bulletin=STR, version=INT, score={"type": "number", "minimum": 0},
    correct=INT, total=INT, passed=BOOL, facts=arr(strict(fact=STR, correct=BOOL)),
    missed_critical=arr(STR), eligibility=ELIGIBILITY,
    review=obj(["items"], policy=STR, key_shown=BOOL, explanations_shown=BOOL,
               items=arr(obj(["id", "stem", "options"], id=INT, stem=STR,
                             options=arr(obj(["id", "text"], id=INT, text=STR)),
                             chosen=null(INT), correct=BOOL, key=null(INT),
                             explanation=null(STR)))),
))
ATTEMPT = component("Attempt", strict(
    id=INT, bulletin=STR, version=INT,
    status={"enum": list(ATTEMPT_STATUSES)},
    started_at=TIME, deadline_at=null(TIME), items=arr(ASKED),
    answers={"type": "object", "additionalProperties": INT,
             "description": "Saved option id by item id"},
    result=null(RESULT),
))
