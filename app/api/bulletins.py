"""Trainers: write a bulletin, review its generated items, publish."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp
from app.api.body import field, json_body
from app.core.security import allow
from app.models import Item
from app.services.content import bulletins, drafts, item_commands, review_board, translations

TRAINERS = ("trainer", "admin")


def item_json(item: Item) -> dict:
    """An item in the quiz file's shape plus option ids (trainers only: it holds the key)."""
    return {
        "id": item.key,
        "fact": item.fact.key,
        "kind": item.kind,
        "stem": item.stem,
        "options": [{"id": o.id, "text": o.text, "correct": o.correct, "source": o.source}
                    for o in item.options],
        "explanation": item.explanation,
        "status": item.status,
        "fingerprint": review_board.fingerprint(item),  # sent back as ``loaded`` on an edit
    }


def version_json(version, *, items: bool = True) -> dict:
    """A bulletin version as trainers see it."""
    doc = {
        "id": version.slug,
        "version": version.number,
        "status": version.status,
        "title": version.title,
        "lang": version.lang,
        "effective": version.effective.isoformat(),
        "deadline": version.deadline.isoformat() if version.deadline else None,
        "gate_at": version.gate_at.isoformat() if version.gate_at else None,
        "skills": version.skills,
        "teams": version.teams,
        "change": version.change,
        "revision": drafts.edit_token(version),
        "edited_by": version.edited_by.name if version.edited_by else None,
        "edited_at": version.edited_at.isoformat() if version.edited_at else None,
        "html": version.body_html,
        "facts": [{"id": f.key, "label": f.label, "value": f.value, "type": f.type,
                   "was": f.old_value, "not": f.not_values, "critical": f.critical}
                  for f in version.facts],
        "translation_of": version.translation_of,
    }
    if items:
        doc["items"] = [item_json(i) for i in version.items]
    return doc


@bp.post("/bulletins")
@allow(*TRAINERS, api=True)
def create_bulletin():
    """Create a draft version from a bulletin file's text, with generated items."""
    source = field(json_body(), "source", str)
    version = drafts.create_bulletin(source, g.api_user)
    return jsonify(version_json(version)), 201


def diff_json(saved: drafts.NewVersion) -> dict:
    """What changed from the current version to a new one: facts and file lines."""
    facts = saved.facts
    return {
        "from": saved.previous.number, "from_status": saved.previous.status,
        "to": saved.version.number,
        "facts": {
            "added": [f.key for f in facts.added], "removed": [f.key for f in facts.removed],
            "changed": [{"id": c.key, "fields": [{"name": x.name, "old": x.old, "new": x.new}
                                                 for x in c.changes]} for c in facts.changed],
            "unchanged": list(facts.unchanged)},
        "lines": [{"kind": r.kind, "old": r.left.number, "new": r.right.number,
                   "old_text": r.left.text, "new_text": r.right.text}
                  for r in saved.lines if r.kind != "equal"],
    }


@bp.post("/bulletins/<slug>/versions")
@allow(*TRAINERS, api=True)
def create_version(slug: str):
    """The next version of an existing bulletin as a draft, with its diff against the current
    one (``revision``: the edit token read, to refuse a save over a newer edit)."""
    data = json_body()
    source = field(data, "source", str)
    token = field(data, "revision", str, required=False)
    saved = drafts.new_version(slug, source, g.api_user, token)
    return jsonify({**version_json(saved.version), "diff": diff_json(saved)}), 201


@bp.delete("/bulletins/<slug>/draft")
@allow(*TRAINERS, api=True)
def discard_draft(slug: str):
    """Discard the unpublished draft version (recorded in the bulletin's history)."""
    event = drafts.discard_draft(slug, g.api_user)
    return jsonify({"id": slug, "discarded": event.number, "title": event.title,
                    "at": event.at.isoformat(), "by": g.api_user.name})


@bp.get("/bulletins/<slug>")
@allow(*TRAINERS, api=True)
def get_bulletin(slug: str):
    """The newest version of a bulletin, with its sanitised HTML."""
    version = bulletins.latest_version(slug)
    pairs = [] if version.translation_of else translations.pair_states(slug)
    return jsonify({**version_json(version), "translations": pairs})


@bp.get("/bulletins/<slug>/items")
@allow(*TRAINERS, api=True)
def list_items(slug: str):
    """The items of the newest version."""
    return jsonify({"items": [item_json(i) for i in bulletins.latest_version(slug).items]})


@bp.put("/bulletins/<slug>/items/<item_key>")
@allow(*TRAINERS, api=True)
def update_item(slug: str, item_key: str):
    """Edit, approve or retire an item of the newest version (``loaded``: the fingerprint
    read, refusing an edit over a newer one)."""
    data = json_body()
    loaded = field(data, "loaded", str, required=False)
    data = {k: v for k, v in data.items() if k != "loaded"}
    item = item_commands.update_item(slug, item_key, data, g.api_user, field="item",
                                     loaded=loaded)
    return jsonify(item_json(item))


@bp.post("/bulletins/<slug>/publish")
@allow(*TRAINERS, api=True)
def publish_bulletin(slug: str):
    """Publish the draft version as a material or minor change."""
    change = field(json_body(), "change", str, required=False)
    version = item_commands.publish(slug, change)
    untested = review_board.plan(version).untested
    answer = version_json(version, items=False)
    # additive: the facts agents are not asked about (no approved item), as the page warns
    answer["untested_facts"] = [{"fact": f.key, "label": f.label} for f in untested]
    return jsonify(answer)


@bp.post("/bulletins/<slug>/items")
@allow(*TRAINERS, api=True)
def add_item(slug: str):
    """Add a hand-written item to the draft version: ``{fact, stem, options, explanation}``."""
    data = json_body()
    item = item_commands.add_item(slug, data, g.api_user)
    return jsonify(item_json(item)), 201


@bp.post("/bulletins/<slug>/regenerate")
@allow(*TRAINERS, api=True)
def regenerate_items(slug: str):
    """Regenerate the draft's items; edited, approved and hand-written items are kept."""
    item_commands.regenerate(slug)
    return jsonify({"items": [item_json(i) for i in bulletins.latest_version(slug).items]})
