"""Forms of the trainer's pages."""

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import FieldList, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

OPTION_SLOTS = 5


class BulletinForm(FlaskForm):
    source = TextAreaField(
        lazy_gettext("Bulletin (Markdown with front matter and a Facts section)"),
        validators=[DataRequired(), Length(max=200_000)])
    # A new version: the bulletin's id, and the edit token (number.revision) it was based on
    edit = HiddenField(validators=[Optional(), Length(max=80)])
    revision = HiddenField(validators=[Optional(), Length(max=40)])


class DiscardForm(FlaskForm):
    """Confirm discarding a draft: the edit token of the draft the trainer saw."""

    revision = HiddenField(validators=[Optional(), Length(max=40)])


class PublishForm(FlaskForm):
    change = RadioField(lazy_gettext("Kind of change"), default="material", choices=[
        SelectChoice("material", lazy_gettext("Material: agents must certify again")),
        SelectChoice("minor", lazy_gettext("Minor (wording only): certifications carry over")),
    ])


class ItemForm(FlaskForm):
    """Edit or write an item: a stem, up to five options, which one is correct."""

    fact = SelectField(lazy_gettext("Fact"), choices=[], validate_choice=False)
    stem = TextAreaField(lazy_gettext("Question"), validators=[DataRequired(), Length(max=2000)])
    options = FieldList(
        StringField(lazy_gettext("Option"), validators=[Optional(), Length(max=500)]),
        min_entries=OPTION_SLOTS, max_entries=OPTION_SLOTS)
    correct = RadioField(lazy_gettext("Correct option"), choices=[
                             SelectChoice(str(n), str(n + 1)) for n in range(OPTION_SLOTS)],
                         validators=[DataRequired(
                             message=lazy_gettext("choose the correct option"))])
    explanation = TextAreaField(lazy_gettext("Explanation shown after grading"),
                                validators=[Optional(), Length(max=2000)])
    # what the item looked like when the form was opened (review_board.fingerprint)
    loaded = HiddenField(validators=[Optional(), Length(max=40)])

    def changes(self, sources: list[str | None]) -> dict:
        """The edit as the review service takes it; sources kept for unchanged slots."""
        options = []
        for n, entry in enumerate(self.options.entries):
            text = (entry.data or "").strip()
            if text:
                correct = str(n) == self.correct.data
                source = None if correct else (sources[n] if n < len(sources) else None)
                options.append({"text": text, "correct": correct, "source": source})
        return {"stem": self.stem.data, "explanation": self.explanation.data or "",
                "options": options}
