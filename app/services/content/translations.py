"""One change, two languages: publishing a translation, and who reads which language.

A translation (front matter ``translation_of: <slug>``) is the same change as its original:
it is published against the original's newest published version, which it must agree with
(app/domain/translations.py), and records it as ``pair_version_id``. It creates no
requirement and no assignment: the original's requirements and assignments are the change's,
and passing the translation's quiz records the certification on the paired original version
(:func:`credited_version`), so eligibility, the routing API and the readiness board count
either language under the original's one requirement.

Agents read and take the quiz in their language (``users.locale``) when the change has a
current translation in it, else in the original's language. A *material* version of the
original leaves the translation behind until a new version of it is published (its readers
get the original meanwhile); a *minor* version of the original must still agree with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from app.core.extensions import db
from app.domain import translations as rules
from app.errors import Conflict, ServiceError
from app.models import Bulletin, BulletinVersion


def _newest_published(slug: str) -> BulletinVersion | None:
    return db.session.scalar(
        select(BulletinVersion).join(Bulletin).where(
            Bulletin.slug == slug, BulletinVersion.status == "published")
        .order_by(BulletinVersion.number.desc()).limit(1))


def _refuse(problems: list[rules.Disagreement], slug: str, translation: str | None = None
            ) -> None:
    """Refuse with every disagreement (``translation``: a minor version of the original)."""
    if not problems:
        return
    details = {"original": slug, "problems": [
        {"field": p.field, "fact": p.fact, "message": p.message} for p in problems]}
    joined = rules.joined([p.problem for p in problems])
    if translation:
        raise ServiceError("translation_disagrees_minor", field=problems[0].field,
                           details=details, slug=translation, problems=joined)
    raise ServiceError("translation_disagrees", field=problems[0].field, details=details,
                       problems=joined)


def check_publish(version: BulletinVersion, change: str) -> bool:
    """Refuse a publication that would split one change in two; True for a translation.

    A translation needs its original published, itself no translation, and agreeing with it
    (it is paired with it here). A minor version of an original must agree with each current
    translation (a material one may go first: its translation then needs a new version).
    """
    if version.translation_of:
        original = _original_for(version)
        _refuse(rules.disagreements(original, version, version.translation_of),
                version.translation_of)
        version.pair_version_id = original.id
        return True
    if change == "minor":
        for translation in current_translations(version.bulletin.slug):
            _refuse(rules.disagreements(version, translation, version.slug), version.slug,
                    translation.slug)
    return False


def _original_for(version) -> BulletinVersion:
    slug = version.translation_of
    original = _newest_published(slug)
    if original is None:
        raise Conflict("original_not_published", field="translation_of", slug=slug)
    if original.translation_of:
        raise ServiceError("translation_of_translation", field="translation_of", slug=slug,
                           original=original.translation_of)
    return original


def draft_disagreements(doc) -> list[rules.Disagreement]:
    """How a translation being written (a parsed bulletin naming ``translation_of``) fails to
    agree with its original's newest published version, as publishing would check it; refuses
    like publishing when that original is unpublished or itself a translation."""
    return rules.disagreements(_original_for(doc), doc, doc.translation_of)


def current_translations(slug: str) -> list[BulletinVersion]:
    """The newest published version of every bulletin translating ``slug`` that still
    translates its current version (the pair's lineage is the original's), by language."""
    original = _newest_published(slug)
    if original is None:
        return []
    return [t for t in _translations_of([slug]).get(slug, [])
            if rules.translation_is_current(t.pair_version.lineage_id, original.lineage_id)]


def _translations_of(slugs: Iterable[str], *, newest_only: bool = True
                     ) -> dict[str, list[BulletinVersion]]:
    """Published versions of the bulletins translating ``slugs``, per original slug, newest
    first (only each bulletin's newest when ``newest_only``); one query."""
    rows = db.session.scalars(
        select(BulletinVersion).where(BulletinVersion.status == "published",
                                      BulletinVersion.translation_of.in_(list(slugs)),
                                      BulletinVersion.pair_version_id.is_not(None))
        .order_by(BulletinVersion.number.desc(), BulletinVersion.id)).all()
    seen: set[int] = set()
    found: dict[str, list[BulletinVersion]] = defaultdict(list)
    for row in rows:
        if newest_only and row.bulletin_id in seen:
            continue
        seen.add(row.bulletin_id)
        found[row.translation_of].append(row)
    return found


def _for_lineage(translations: list[BulletinVersion], lineage: int | None
                 ) -> list[BulletinVersion]:
    """The newest translation per language among those paired within ``lineage``."""
    chosen: dict[str, BulletinVersion] = {}
    for row in translations:
        if row.pair_version.lineage_id == lineage:
            chosen.setdefault(row.lang, row)
    return [chosen[lang] for lang in sorted(chosen)]


def pair_states(slug: str) -> list[dict]:
    """For a trainer: each translation of ``slug``, its language, and whether it is current."""
    original = _newest_published(slug)
    return [{"bulletin": t.slug, "lang": t.lang, "version": t.number,
             "translates": t.pair_version.number,
             "current": original is not None and rules.translation_is_current(
                 t.pair_version.lineage_id, original.lineage_id)}
            for t in _translations_of([slug]).get(slug, [])]


def credited_version(version: BulletinVersion) -> int:
    """The version a pass on ``version``'s quiz certifies: the paired original's, or its own."""
    return rules.credited_version(version.id, version.pair_version_id)


def original_current(version: BulletinVersion) -> BulletinVersion:
    """For a translation: the original's newest published version, refusing an outdated
    translation (its original published a material version since); else ``version``."""
    if not version.pair_version_id:
        return version
    original = _newest_published(version.translation_of)
    if original is None or not rules.translation_is_current(
            version.pair_version.lineage_id, original.lineage_id):
        raise Conflict("translation_outdated", field="bulletin", slug=version.slug,
                       original=version.translation_of)
    return original


def reading_versions(locale: str | None, versions: Iterable[BulletinVersion]
                     ) -> dict[int, BulletinVersion]:
    """For each (original) version: the version a reader of ``locale`` gets (one query).

    The current translation in the reader's language, else the version itself.
    """
    versions = list(versions)
    by_slug = _translations_of({v.slug for v in versions if not v.translation_of},
                               newest_only=False)
    shown = {}
    for version in versions:
        options = _for_lineage(by_slug.get(version.slug, []), version.lineage_id)
        lang = rules.reading_language(locale, [version.lang] + [t.lang for t in options])
        shown[version.id] = next((t for t in options if t.lang == lang), version)
    return shown


def languages_of(versions: Iterable[BulletinVersion]) -> dict[int, list[BulletinVersion]]:
    """Per original version id: its own version then its current translations (one query)."""
    versions = list(versions)
    by_slug = _translations_of({v.slug for v in versions}, newest_only=False)
    return {v.id: [v] + _for_lineage(by_slug.get(v.slug, []), v.lineage_id) for v in versions}


def original_slug(slug: str) -> str:
    """The slug of the change a bulletin belongs to: its original's, or its own."""
    version = _newest_published(slug)
    return version.translation_of if version is not None and version.translation_of else slug



def other_languages(version: BulletinVersion) -> list[BulletinVersion]:
    """The same change in the other languages a reader may open instead (two queries)."""
    original = _newest_published(version.translation_of or version.slug)
    if original is None:
        return []
    return [v for v in languages_of([original])[original.id] if v.id != version.id]


def same_change(versions: Iterable[BulletinVersion]) -> dict[int, set[int]]:
    """Per version id: the ids of the versions that are the same change in any language (its
    own included), so that retake limits and a manager's unlock hold across languages.

    One query for the originals' translations, plus one per translated bulletin among
    ``versions`` (an agent's list holds originals: none).
    """
    versions = list(versions)
    current = {slug: _newest_published(slug)
               for slug in {v.translation_of for v in versions if v.translation_of}}
    base = {v.id: current.get(v.translation_of) if v.translation_of else v for v in versions}
    originals = list({o.id: o for o in base.values() if o is not None}.values())
    languages = languages_of(originals)
    groups = {}
    for version in versions:
        group = {version.id} | ({version.pair_version_id} if version.pair_version_id else set())
        original = base[version.id]
        if original is not None:
            group |= {v.id for v in languages[original.id]}
        groups[version.id] = group
    return groups
