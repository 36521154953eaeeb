"""Content as code: import and export bulletin files and quiz files, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.bulletin.types import BulletinDoc, ContentError, QuizDoc, SourceError
from app.domain.quiz_format import dump_quiz, parse_quiz
from app.domain.translations import disagreements
from app.errors import ServiceError
from app.models import Bulletin
from app.services.content.bulletins import (
    item_draft,
    latest_version,
    parse_source,
    publish,
    published_facts,
    save_draft,
)
from app.services.content.review import generation_advice


@dataclass
class ImportReport:
    """What an import did, per bulletin slug."""

    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)  # left as drafts, with the reason
    advice: list[str] = field(default_factory=list)  # "slug: what to add" (generated items)


def collect(paths: list[str | Path]) -> list[Path]:
    """The *.md and *.yaml files named by ``paths`` (directories are searched, sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".md", ".yaml", ".yml")
                            and p.name.lower() != "readme.md")
        elif path.is_file():
            files.append(path)
        else:
            raise ContentError([SourceError(str(path), 0, "file_missing")])
    return files


def parse_files(files: list[Path], origins: dict[str, str] | None = None
                ) -> tuple[list[BulletinDoc], dict[str, QuizDoc]]:
    """Parse every file, collecting every error of every file before raising (``origins``,
    when given, receives the file of each bulletin id)."""
    docs, quizzes, errors = [], {}, []
    origins = {} if origins is None else origins
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            errors.append(SourceError(str(path), 0, "file_unreadable", {"problem": str(error)}))
            continue
        try:
            if path.suffix == ".md":
                docs.append(parse_source(text, str(path)))
                origins[docs[-1].slug] = str(path)
            else:
                quiz = parse_quiz(text, str(path))
                quizzes[quiz.bulletin] = quiz
        except ContentError as error:
            errors += error.errors
    errors += _check_quizzes(docs, quizzes)
    if errors:
        raise ContentError(errors)
    return docs, quizzes


def _check_quizzes(docs: list[BulletinDoc], quizzes: dict[str, QuizDoc]) -> list[SourceError]:
    by_slug = {d.slug: d for d in docs}
    errors = []
    for slug, quiz in quizzes.items():
        doc = by_slug.get(slug)
        if doc is None:
            errors.append(SourceError(f"quiz {slug}", 1, "quiz_bulletin_not_imported",
                                      {"slug": slug}))
            continue
        for item in quiz.items:
            if doc.fact(item.fact) is None:
                errors.append(SourceError(f"quiz {slug}", 1, "quiz_item_fact_unknown",
                                          {"key": item.key, "fact": item.fact}))
    return errors


def import_paths(paths: list[str | Path], *, publish_ready: bool = True,
                 at: datetime | None = None, new_versions: bool = False) -> ImportReport:
    """Validate everything, then write everything in one transaction (or nothing).

    ``at`` is when the versions are published (default now; the demo publishes in the past).
    A file whose bulletin id exists and whose text or quiz differs from the newest version
    is refused (naming the file and the id) unless ``new_versions``: an import never turns
    a file into a new version of an existing bulletin by accident. Unchanged files are
    skipped, so importing the same files again changes nothing.
    """
    origins: dict[str, str] = {}
    docs, quizzes = parse_files(collect(paths), origins)
    report = ImportReport()
    published = _PublishedFacts()
    docs.sort(key=lambda d: d.translation_of is not None)  # originals publish first
    with unit_of_work():
        if not new_versions:
            _refuse_new_versions(docs, quizzes, origins)
        check_pairs(docs, origins)
        for doc in docs:
            _import_one(doc, quizzes.get(doc.slug), report, publish_ready, published, at)
    return report


def check_pairs(docs: list[BulletinDoc], origins: dict[str, str]) -> None:
    """Refuse, naming the file and the field or fact, every translation of the import that
    is not the same change as its original (in the import, else the newest published)."""
    by_slug = {d.slug: d for d in docs}
    errors = []
    for doc in (d for d in docs if d.translation_of):
        original = by_slug.get(doc.translation_of)
        if original is None and doc.translation_of:
            original = _stored_original(doc.translation_of)
        where = origins.get(doc.slug, doc.slug)
        if original is None:
            errors.append(SourceError(where, 1, "translation_original_missing",
                                      {"slug": doc.translation_of}))
            continue
        for problem in disagreements(original, doc, doc.translation_of):
            fact = doc.fact(problem.fact) if problem.fact else None
            errors.append(SourceError.at(where, fact.line if fact else 1, problem.problem))
    if errors:
        raise ContentError(errors)


def _stored_original(slug: str):
    try:
        return latest_version(slug, published=True)
    except ServiceError:
        return None


def _changed(doc: BulletinDoc, quiz: QuizDoc | None):
    """The newest version of ``doc``'s bulletin when the file changes it, else None."""
    if db.session.query(Bulletin).filter_by(slug=doc.slug).one_or_none() is None:
        return None
    newest = latest_version(doc.slug)
    same = newest.source == doc.source and (quiz is None or _same_items(newest, quiz))
    return None if same else newest


def _refuse_new_versions(docs: list[BulletinDoc], quizzes: dict[str, QuizDoc],
                         origins: dict[str, str]) -> None:
    """Refuse, all at once, every file that would become a new version of a bulletin."""
    errors = []
    for doc in docs:
        newest = _changed(doc, quizzes.get(doc.slug))
        if newest is not None:
            errors.append(SourceError(origins.get(doc.slug, doc.slug), 1, "import_changes_bulletin",
                                      {"slug": doc.slug, "n": newest.number,
                                       "title": newest.title}))
    if errors:
        raise ContentError(errors)


class _PublishedFacts:
    """The published facts indexed once per import (item generation's context), loaded again
    only after the import published a version."""

    def __init__(self):
        self._index = None

    def get(self):
        """The index, loaded when first needed or when stale."""
        if self._index is None:
            self._index = published_facts()
        return self._index

    def changed(self) -> None:
        """A version was published: load the facts again when next needed."""
        self._index = None


def _import_one(doc: BulletinDoc, quiz: QuizDoc | None, report: ImportReport,
                publish_ready: bool, published: _PublishedFacts,
                at: datetime | None = None) -> None:
    existing = db.session.query(Bulletin).filter_by(slug=doc.slug).one_or_none()
    if existing is not None and _changed(doc, quiz) is None:
        report.unchanged.append(doc.slug)
        return
    version = save_draft(doc, items=list(quiz.items) if quiz else None,
                         published=None if quiz else published.get())
    report.created.append(f"{doc.slug} v{version.number}")
    if quiz is None:  # generated items: what the author can add so the facts generate well
        db.session.flush()
        report.advice += [f"{doc.slug}: {problem.message}"
                          for problem in generation_advice(version, doc)]
    if not publish_ready:
        return
    try:
        publish(version, "material", at=at)
        published.changed()
        report.published.append(doc.slug)
    except ServiceError as refused:
        report.drafts.append(f"{doc.slug}: {refused.message}")


def _same_items(version, quiz: QuizDoc) -> bool:
    stored = [_reviewable(item_draft(i)) for i in version.items]
    return stored == [_reviewable(d) for d in quiz.items]


def _reviewable(draft) -> tuple:
    """What a quiz file states about an item (the recipe that wrote it is not part of it)."""
    return (draft.key, draft.fact, draft.kind, draft.stem, draft.options, draft.explanation,
            draft.status)


def export_to(directory: str | Path) -> list[Path]:
    """Write every bulletin's newest version and its items back out as files."""
    root = Path(directory)
    (root / "policy_changes").mkdir(parents=True, exist_ok=True)
    (root / "quizzes").mkdir(parents=True, exist_ok=True)
    written = []
    for bulletin in db.session.query(Bulletin).order_by(Bulletin.slug):
        version = latest_version(bulletin.slug)
        md = root / "policy_changes" / f"{bulletin.slug}.md"
        md.write_text(version.source, encoding="utf-8")
        quiz = QuizDoc(bulletin.slug, version.number,
                       tuple(item_draft(i) for i in version.items))
        yaml_path = root / "quizzes" / f"{bulletin.slug}.yaml"
        yaml_path.write_text(dump_quiz(quiz), encoding="utf-8")
        written += [md, yaml_path]
    return written
