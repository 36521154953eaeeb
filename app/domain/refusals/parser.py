"""What the bulletin and quiz file parsers say (app/domain/bulletin/front_matter.py,
_facts_section.py, bulletin_format.py, quiz_format.py), each at a line of the file."""

from app.domain.refusals._mark import N_

PARSER: dict[str, str] = {
    # the Facts section
    "facts_missing": N_("missing Facts section: add a '## Facts' heading followed by fact "
                        "lines"),
    "facts_duplicate_section": N_("duplicate Facts section (first on line %(line)s)"),
    "facts_empty": N_("the Facts section has no facts"),
    "fact_malformed": N_("malformed fact line (expected %(form)s)"),
    "fact_line_not_a_fact": N_("line is not a fact (expected %(form)s)"),
    "fact_unknown_attribute": N_("unknown fact attribute '%(token)s'"),
    "fact_needs_one_id": N_("fact needs exactly one id: {#f-name ...}"),
    "fact_id_invalid": N_("fact id '%(key)s' is not valid (%(allowed)s)"),
    "fact_id_duplicate": N_("duplicate fact id '%(key)s' (first on line %(line)s)"),
    "fact_no_value": N_("fact '%(key)s' has no value"),
    "fact_types_many": N_("fact '%(key)s': more than one type"),
    "fact_type_unknown": N_("fact '%(key)s': unknown type '%(kind)s' (%(known)s or "
                            "enum:<list>)"),
    "fact_was_many": N_("fact '%(key)s': more than one (was: ...)"),
    "fact_was_empty": N_("fact '%(key)s': (was: ...) is empty"),
    "fact_not_empty": N_("fact '%(key)s': (not: ...) is empty"),
    "fact_was_same": N_("fact '%(key)s': was: '%(old)s' is the same as the value"),
    "fact_not_is_value": N_("fact '%(key)s': not: '%(value)s' is the value itself"),
    "fact_say_without_value": N_("fact '%(key)s': say=\"...\" must write the value '%(value)s' "
                                 "as it is, so that a wrong value can take its place"),
    "fact_value_wrong": N_("fact '%(key)s': value '%(text)s' %(problem)s"),
    "fact_was_wrong": N_("fact '%(key)s': was: '%(text)s' %(problem)s"),
    "fact_not_wrong": N_("fact '%(key)s': not: '%(text)s' %(problem)s"),
    "type_not_bool": N_("is not a bool (yes/no, true/false, 예/아니오)"),
    "type_not_date": N_("is not a valid date (YYYY-MM-DD)"),
    "type_no_number": N_("has no number (%(kind)s)"),
    # the front matter
    "front_matter_missing": N_("missing front matter: the file must start with a '---' line"),
    "front_matter_not_closed": N_("front matter is not closed: no '---' line after line 1"),
    "front_matter_not_mapping": N_("front matter must be 'field: value' lines"),
    "front_matter_yaml": N_("front matter: %(problem)s"),
    "field_unknown": N_("unknown field '%(key)s'"),
    "field_duplicate": N_("duplicate field '%(key)s' (first on line %(line)s)"),
    "field_missing": N_("missing required field '%(name)s'"),
    "skills_none": N_("skills: at least one skill is required"),
    "supersedes_itself": N_("supersedes: a bulletin cannot supersede itself ('%(slug)s')"),
    "critical_unknown_fact": N_("critical: no fact '%(key)s' in the Facts section"),
    "unknown_skill": N_("unknown call type '%(code)s': choose one of %(choices)s"),
    "unknown_team": N_("unknown team '%(code)s': choose one of %(choices)s"),
    "unknown_skill_none": N_("unknown call type '%(code)s': no call types are set up "
                                      "yet"),
    "unknown_team_none": N_("unknown team '%(code)s': no teams are set up yet"),
    "field_value_required": N_("%(name)s: a value is required"),
    "field_empty": N_("%(name)s: must not be empty"),
    "field_expected": N_("%(name)s: expected %(expected)s"),
    "field_pattern": N_("%(name)s: '%(raw)s' is not a valid %(noun)s (%(allowed)s)"),
    "field_not_language": N_("%(name)s: '%(raw)s' is not a language tag (e.g. en, ko, "
                             "en-GB)"),
    "field_not_date": N_("%(name)s: '%(raw)s' is not a valid date (YYYY-MM-DD)"),
    "field_not_choice": N_("%(name)s: '%(raw)s' is not one of %(options)s"),
    "field_not_number": N_("%(name)s: '%(raw)s' is not %(wanted)s"),
    # what a field expects, and what a code may hold (phrases inside the rows above)
    "expect_slug": N_("a slug"),
    "expect_text": N_("text"),
    "expect_language": N_("a language tag (e.g. en, ko, en-GB)"),
    "expect_date": N_("a date (YYYY-MM-DD)"),
    "expect_one_of": N_("one of %(options)s"),
    "expect_number_up_to": N_("a whole number from 1 to %(upper)s"),
    "expect_positive_number": N_("a positive whole number"),
    "expect_codes": N_("a list of codes"),
    "expect_fact_ids": N_("a list of fact ids"),
    "expect_slugs": N_("a list of slugs"),
    "noun_code": N_("code"),
    "noun_fact_id": N_("fact id"),
    "noun_slug": N_("slug"),
    "allowed_code": N_("lower-case letters, digits and '_', starting with a letter"),
    "allowed_slug": N_("lower-case letters, digits and '-'"),
    "allowed_fact_id": N_("lower-case letters, digits, '-' and '_'"),
    # importing content files (app/services/content/content_io.py, the CLI)
    "file_missing": N_("no such file or directory"),
    "file_unreadable": N_("cannot read: %(problem)s"),
    "quiz_bulletin_not_imported": N_("bulletin '%(slug)s' is not part of this import"),
    "quiz_item_fact_unknown": N_("item '%(key)s' names unknown fact '%(fact)s'"),
    "import_changes_bulletin": N_("bulletin '%(slug)s' already exists (version %(n)s, "
                                  "'%(title)s') and this file changes it; to import it as a new "
                                  "version of that bulletin, run the import again with "
                                  "--new-versions"),
    # quiz files and question banks (app/domain/quiz_format.py, app/domain/interchange)
    "quiz_yaml_syntax": N_("YAML syntax error: %(problem)s"),
    "quiz_empty": N_("empty quiz file: expected bulletin, version and items"),
    "xml_syntax": N_("XML syntax error: %(problem)s"),
    "xml_not_quiz": N_("expected a Moodle XML <quiz>, not <%(tag)s>"),
    "import_skipped": N_("skipped: %(reason)s"),
}
