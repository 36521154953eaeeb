"""Forms of the admin's pages."""

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional


class CodeForm(FlaskForm):
    """A new team or skill: its code (as routing systems name it) and its name."""

    code = StringField(lazy_gettext("Code"), validators=[DataRequired(), Length(max=64)])
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])


class DirectoryForm(FlaskForm):
    """A directory CSV file to upload."""

    file = FileField(lazy_gettext("Directory file (CSV)"),
                     validators=[FileRequired(lazy_gettext("choose a CSV file"))])
    invite = BooleanField(lazy_gettext("Send an invitation by e-mail to every new agent"))


class TokenForm(FlaskForm):
    """A new API token: who it acts as, a name, an optional last day."""

    email = StringField(lazy_gettext("Acts as (e-mail of the user)"),
                        validators=[DataRequired(), Length(max=254)])
    name = StringField(lazy_gettext("Name (what uses it)"),
                       validators=[Optional(), Length(max=200)])
    expires_on = DateField(lazy_gettext("Valid through (optional)"), validators=[Optional()])
    confirm_admin = BooleanField(lazy_gettext(
        "I understand this token can do everything an admin can"))


ROLE_CHOICES = [("agent", lazy_gettext("Agent")), ("trainer", lazy_gettext("Trainer")),
                ("manager", lazy_gettext("Manager")), ("admin", lazy_gettext("Administrator")),
                ("integration", lazy_gettext("Integration"))]
LOCALE_CHOICES = [("", lazy_gettext("Browser's language")), ("en", "English"),
                  ("ko", "한국어")]


class PersonForm(FlaskForm):
    """A person of any role: the fields that apply depend on the role (checked by the
    service, which names the field at fault)."""

    role = SelectField(lazy_gettext("Role"), choices=ROLE_CHOICES,
                       validators=[DataRequired(lazy_gettext("choose a role"))])
    name = StringField(lazy_gettext("Name"), validators=[
        DataRequired(lazy_gettext("the name is required")),
        Length(max=200, message=lazy_gettext("at most %(max)d characters"))])
    email = StringField(lazy_gettext("Email"), validators=[
        DataRequired(lazy_gettext("the e-mail address is required")),
        Length(max=254, message=lazy_gettext("at most %(max)d characters"))])
    external_id = StringField(lazy_gettext("External id"), validators=[
        Optional(), Length(max=128, message=lazy_gettext("at most %(max)d characters"))])
    team = SelectField(lazy_gettext("Team"), choices=[], validate_choice=False)
    skills = SelectMultipleField(lazy_gettext("Call types (skills)"), choices=[],
                                 validate_choice=False)
    managed = SelectMultipleField(lazy_gettext("Teams managed"), choices=[],
                                  validate_choice=False)
    locale = SelectField(lazy_gettext("Language of mail and pages"), choices=LOCALE_CHOICES)
    invite = BooleanField(lazy_gettext("Send an invitation by e-mail now"), default=True)


class ActiveForm(FlaskForm):
    """Deactivate (0) or reactivate (1) a person."""

    active = SelectField(choices=[("0", "0"), ("1", "1")])


class PersonTokenForm(FlaskForm):
    """A token for the person whose page this is; an admin's needs the confirmation."""

    name = StringField(lazy_gettext("Name (what uses it)"), validators=[
        Optional(), Length(max=200, message=lazy_gettext("at most %(max)d characters"))])
    expires_on = DateField(lazy_gettext("Valid through (optional)"), validators=[Optional()])
    confirm_admin = BooleanField(lazy_gettext(
        "I understand this token can do everything an admin can"))
