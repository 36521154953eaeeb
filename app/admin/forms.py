"""Forms of the admin's pages."""

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional


class CodeForm(FlaskForm):
    """A new team or skill: its code (as routing systems name it) and its name."""

    code = StringField(lazy_gettext("Code"), validators=[DataRequired(), Length(max=64)])
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])


class DirectoryForm(FlaskForm):
    """A directory CSV file to upload."""

    file = FileField(lazy_gettext("Directory file (CSV)"),
                     validators=[FileRequired(lazy_gettext("choose a CSV file"))])


class TokenForm(FlaskForm):
    """A new API token: who it acts as, a name, an optional last day."""

    email = StringField(lazy_gettext("Acts as (e-mail of the user)"),
                        validators=[DataRequired(), Length(max=254)])
    name = StringField(lazy_gettext("Name (what uses it)"), validators=[Optional(), Length(max=200)])
    expires_on = DateField(lazy_gettext("Valid through (optional)"), validators=[Optional()])
