"""Trainers: write a bulletin, review its generated items, publish."""

from __future__ import annotations

from flask import jsonify

from ..database import unit_of_work
from ..models import Item
from ..security import allow
from ..services import NotFound, bulletins, review
from . import bp
from .body import field, json_body

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
        "html": version.body_html,
        "facts": [{"id": f.key, "label": f.label, "value": f.value, "type": f.type,
                   "was": f.old_value, "not": f.not_values, "critical": f.critical}
                  for f in version.facts],
    }
    if items:
        doc["items"] = [item_json(i) for i in version.items]
    return doc


@bp.post("/bulletins")
@allow(*TRAINERS, api=True)
def create_bulletin():
    """Create a draft version from a bulletin file's text, with generated items."""
    source = field(json_body(), "source", str)
    version = bulletins.create_draft(source)
    return jsonify(version_json(version)), 201


@bp.get("/bulletins/<slug>")
@allow(*TRAINERS, api=True)
def get_bulletin(slug: str):
    """The newest version of a bulletin, with its sanitised HTML."""
    return jsonify(version_json(bulletins.latest_version(slug)))


@bp.get("/bulletins/<slug>/items")
@allow(*TRAINERS, api=True)
def list_items(slug: str):
    """The items of the newest version."""
    return jsonify({"items": [item_json(i) for i in bulletins.latest_version(slug).items]})


@bp.put("/bulletins/<slug>/items/<item_key>")
@allow(*TRAINERS, api=True)
def update_item(slug: str, item_key: str):
    """Edit, approve or retire an item of the newest version."""
    data = json_body()
    with unit_of_work():
        version = bulletins.latest_version(slug)
        item = next((i for i in version.items if i.key == item_key), None)
        if item is None:
            raise NotFound(f"no item '{item_key}' in '{slug}'", field="item")
        review.update_item(item, data)
    return jsonify(item_json(item))


@bp.post("/bulletins/<slug>/publish")
@allow(*TRAINERS, api=True)
def publish_bulletin(slug: str):
    """Publish the draft version as a material or minor change."""
    change = field(json_body(), "change", str, required=False, default="material")
    with unit_of_work():
        version = bulletins.latest_version(slug)
        bulletins.publish(version, change)
    return jsonify(version_json(version, items=False))


@bp.post("/bulletins/<slug>/items")
@allow(*TRAINERS, api=True)
def add_item(slug: str):
    """Add a hand-written item to the draft version: ``{fact, stem, options, explanation}``."""
    data = json_body()
    with unit_of_work():
        item = review.add_item(bulletins.latest_version(slug), data)
    return jsonify(item_json(item)), 201


@bp.post("/bulletins/<slug>/regenerate")
@allow(*TRAINERS, api=True)
def regenerate_items(slug: str):
    """Regenerate the draft's items; edited, approved and hand-written items are kept."""
    with unit_of_work():
        version = bulletins.latest_version(slug)
        review.regenerate(version)
    return jsonify({"items": [item_json(i) for i in bulletins.latest_version(slug).items]})
