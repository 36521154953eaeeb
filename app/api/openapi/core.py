"""The OpenAPI description of the core routes of product.md section 7: one agent's
eligibility, trainers' bulletins and items, agents' own assignments and attempts."""

from __future__ import annotations

from app.api.body import MAX_ID
from app.api.openapi.document import describe, op, param
from app.api.schemas import (
                      ATTEMPT,
                      ELIGIBILITY,
                      INT,
                      ITEM,
                      ITEM_OPTION_IN,
                      ITEMS,
                      RESULT,
                      STR,
                      TIME,
                      VERSION,
                      arr,
                      component,
                      null,
                      obj,
                      strict,
)

TRAINERS = "trainer, admin"
SLUG = param("slug", where="path", description="The bulletin's id (slug)",
             example="wibro50-wifi-login")
ITEM_KEY = param("item_key", where="path", description="The item's id in the quiz file",
                 example="f-login-1")
ATTEMPT_ID = param("attempt_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                   where="path", example=1)
ITEM_ID = param("item_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, where="path",
                description="The item's id as the attempt shows it", example=1)
ETAG = {"description": "A strong validator of this body: send it back in If-None-Match",
        "required": True, "schema": STR}

ASSIGNMENT = component("Assignment", strict(
    bulletin=STR, version=INT, title=STR, due=TIME,
    status={"enum": ["certified", "due", "overdue", "retired"]},
    certified_until=null(TIME), last_score=null({"type": "number"}),
    attempt_in_progress=null(INT),
    questions={**INT, "description": "questions an attempt asks"},
    pass_mark={**INT, "description": "percent of the questions to get right"},
    points_needed={**INT, "description": "questions to get right: the pass mark in points, "
                   "never fewer than the critical facts asked"},
    critical_facts={**arr(STR), "description": "ids of the facts that must be answered "
                    "correctly whatever the score"},
    time_limit_minutes=null(INT),
    attempts_left_today={**INT, "description": "attempts I may still start today (daily "
                         "cap, in the organisation's time zone)"},
    retry_at={**null(TIME), "description": "when I may start again; null when I may start "
              "now"},
    retry_reason={"enum": ["cooldown", "daily_cap", None],
                  "description": "why I must wait: the pause after a fail or the daily cap"}))
SAVED = component("SavedAnswer", strict(item=INT, option=null(INT), seq=INT, saved_at=TIME))
ITEM_EDIT = obj([], stem=STR, explanation=null(STR), status={"enum": ["draft", "approved",
                                                                   "retired"]},
                kind={"enum": ["choice", "true_false", "cloze"]},
                options=arr(ITEM_OPTION_IN, minItems=2),
                loaded={"type": "string", "description": "Optional: the item's `fingerprint` "
                        "as read; a different current one refuses the edit (409 item_changed, "
                        "`details.current`), nothing saved"})
NEW_ITEM = obj(["fact", "stem", "options"], fact=STR, stem=STR, explanation=null(STR),
               kind={"enum": ["choice", "true_false", "cloze"]},
               options=arr(ITEM_OPTION_IN, minItems=2))

SOURCE = {"type": "string", "description": "The bulletin file: YAML front matter, Markdown, "
          "a ## Facts section (docs/bulletins.md)"}
FIELD_CHANGE = strict(name=STR, old={}, new={})
DIFF = strict(
    **{"from": INT}, from_status={"enum": ["draft", "published", "retired"]}, to=INT,
    facts=strict(added=arr(STR), removed=arr(STR), unchanged=arr(STR),
                 changed=arr(strict(id=STR, fields=arr(FIELD_CHANGE)))),
    lines=arr(strict(kind={"enum": ["insert", "delete", "replace"]}, old=null(INT),
                     new=null(INT), old_text=STR, new_text=STR)))
NEW_VERSION = component("NewBulletinVersion", {"allOf": [
    VERSION, obj(["diff"], diff={**DIFF, "description": "What changed from the current "
                                 "version (a replaced draft, or the newest published one)"})]})
DISCARDED = component("DiscardedDraft", strict(id=STR, discarded=INT, title=STR, at=TIME,
                                               by=STR))

_ELIGIBILITY = op(
        "One agent's eligibility: cleared and blocked skills with what is missing (ETag; 304 "
        "on If-None-Match)", "admin, manager (own teams), integration",
        params=[param("external_id", where="path", example="A1")],
        query=[param("If-None-Match", where="header",
                     description="An ETag this endpoint gave; 304 while it still matches")],
        response=ELIGIBILITY, errors=(401, 403, 404),
        headers={"ETag": ETAG, "Cache-Control": {"schema": STR}})
_ELIGIBILITY["responses"]["304"] = {"description": "Not modified: the If-None-Match ETag still "
                                    "matches (no body)", "headers": {"ETag": ETAG}}

describe({
    "/agents/{external_id}/eligibility": {"get": _ELIGIBILITY},
    "/bulletins": {"post": op(
        "Create a draft from a bulletin file's text, with generated items (201: the version "
        "with its items); an id that already exists is refused with 409 bulletin_exists and "
        "nothing is written (new versions: POST /bulletins/{slug}/versions)", TRAINERS,
        body=obj(["source"], source=SOURCE),
        ok=201, response=VERSION, errors=(400, 401, 403, 409, 422))},
    "/bulletins/{slug}/versions": {"post": op(
        "The next version of an existing bulletin as a draft (an existing draft is revised), "
        "with its diff against the current version; the source must keep the bulletin's id "
        "(400 id_mismatch); `revision` (optional, the edit token read) refuses a save over a "
        "newer edit (409 edit_conflict)", TRAINERS, params=[SLUG],
        body=obj(["source"], source=SOURCE, revision={
            "type": "string", "description": "The `revision` of the version the text was "
            "based on", "example": "2.1"}),
        ok=201, response=NEW_VERSION, errors=(400, 401, 403, 404, 409, 422))},
    "/bulletins/{slug}/draft": {"delete": op(
        "Discard the unpublished draft version, recorded in the bulletin's history; a "
        "bulletin without a draft is 409 no_draft (published versions are never deleted)",
        TRAINERS, params=[SLUG], response=DISCARDED, errors=(401, 403, 404, 409))},
    "/bulletins/{slug}": {"get": op(
        "A bulletin's newest version, with its sanitised HTML and items", TRAINERS,
        params=[SLUG], response=VERSION, errors=(401, 403, 404))},
    "/bulletins/{slug}/items": {
        "get": op("Items of the newest version", TRAINERS, params=[SLUG], response=ITEMS,
                  errors=(401, 403, 404)),
        "post": op("Add a hand-written item to the draft", TRAINERS, params=[SLUG],
                   body=NEW_ITEM, ok=201, response=ITEM, errors=(400, 401, 403, 404, 409)),
    },
    "/bulletins/{slug}/regenerate": {"post": op(
        "Regenerate the draft's items, keeping edited, approved and hand-written ones", TRAINERS,
        params=[SLUG], response=ITEMS, errors=(401, 403, 404, 409))},
    "/bulletins/{slug}/items/{item_key}": {"put": op(
        "Edit, approve or retire an item (a published version's items: status only)", TRAINERS,
        params=[SLUG, ITEM_KEY], body=ITEM_EDIT, response=ITEM,
        errors=(400, 401, 403, 404, 409))},
    "/bulletins/{slug}/publish": {"post": op(
        "Publish the draft version: requirements, assignments and eligibility follow",
        TRAINERS, params=[SLUG],
        body=obj([], change={"enum": ["material", "minor"], "default": "material",
                             "description": "Only for a later version: a first version is "
                             "always material ('minor' is refused with 400 first_version)"}),
        response=VERSION, errors=(400, 401, 403, 404, 409))},
    "/me/assignments": {"get": op(
        "What I must pass, with due dates and status, and the rules before I start", "agent",
        response=strict(assignments=arr(ASSIGNMENT)), errors=(401, 403))},
    "/me/attempts": {"post": op(
        "Start (or resume) my attempt on a bulletin's newest published version", "agent",
        body=obj(["bulletin"], bulletin={"type": "string", "example": "wibro50-wifi-login"}),
        ok=201, response=ATTEMPT, errors=(400, 401, 403, 404, 409, 429))},
    "/me/attempts/{attempt_id}": {"get": op(
        "Resume my attempt, with my saved answers (another agent's attempt: 404)", "agent",
        params=[ATTEMPT_ID], response=ATTEMPT, errors=(401, 403, 404))},
    "/me/attempts/{attempt_id}/answers/{item_id}": {"put": op(
        "Autosave an answer (409 once the attempt is submitted or its time ran out)", "agent",
        params=[ATTEMPT_ID, ITEM_ID],
        body=obj(["option"], option={"type": "integer", "description": "An option id of the "
                                     "item"},
                 seq={"type": "integer", "description": "Client sequence: an older save "
                      "than the stored one changes nothing"}),
        response=SAVED, errors=(400, 401, 403, 404, 409))},
    "/me/attempts/{attempt_id}/submit": {"post": op(
        "Grade my attempt once; repeating returns the same result", "agent",
        params=[ATTEMPT_ID], response=RESULT, errors=(401, 403, 404, 409))},
    "/me/eligibility": {"get": op("My own eligibility", "agent", response=ELIGIBILITY,
                                  errors=(401, 403))},
})
