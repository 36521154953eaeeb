"""Forms of the trainer's pages."""

from flask_wtf import FlaskForm
from wtforms import FieldList, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

OPTION_SLOTS = 5


class BulletinForm(FlaskForm):
    source = TextAreaField("Bulletin (Markdown with front matter and a Facts section)",
                           validators=[DataRequired(), Length(max=200_000)])


class PublishForm(FlaskForm):
    change = RadioField("Kind of change", default="material", choices=[
        ("material", "Material: agents must certify again"),
        ("minor", "Minor (wording only): certifications carry over"),
    ])


class ItemForm(FlaskForm):
    """Edit or write an item: a stem, up to five options, which one is correct."""

    fact = SelectField("Fact", choices=[], validate_choice=False)
    stem = TextAreaField("Question", validators=[DataRequired(), Length(max=2000)])
    options = FieldList(StringField("Option", validators=[Optional(), Length(max=500)]),
                        min_entries=OPTION_SLOTS, max_entries=OPTION_SLOTS)
    correct = RadioField("Correct option", choices=[(str(n), str(n + 1))
                                                    for n in range(OPTION_SLOTS)],
                         validators=[DataRequired(message="choose the correct option")])
    explanation = TextAreaField("Explanation shown after grading",
                                validators=[Optional(), Length(max=2000)])

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
