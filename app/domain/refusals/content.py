"""What the review board, one change in two languages and the generator's newer advice say
(app/services/content/review_board.py, app/domain/translations.py,
app/services/content/translations.py, app/domain/generation/advice.py)."""

from app.domain.refusals._mark import N_

CONTENT: dict[str, str] = {
    # the review board (app/services/content/review_board.py)
    "review_status_filter": N_("status filter '%(value)s' is not one of %(options)s"),
    "review_fact_filter": N_("no fact '%(key)s' in '%(slug)s'"),
    "nothing_selected": N_("select at least one item to approve"),
    "unknown_item": N_("no item %(keys)s in '%(slug)s': nothing was approved"),
    "item_changed": N_("item '%(key)s' was changed by someone else after you opened it: "
                       "nothing was saved"),
    "preview_critical_undrawable": N_("critical fact has no item to draw: %(facts)s"),
    # generation advice (app/domain/generation/advice.py)
    "advice_old_in_label": N_("fact %(key)s: the was: value is printed in the label, so it is "
                              "not offered as a wrong answer; name the thing without it (e.g. "
                              "\"New name\")"),
    "advice_no_statement": N_("fact %(key)s: the label could not be said as a plain "
                              "statement with its value, so no true/false item is made; write "
                              "the statement with say=\"...\" (one sentence that names the "
                              "service and holds the value as written), or make the label a "
                              "thing (\"Forwarding-on code\", \"환불 신청 방법\") that the value "
                              "completes in one short phrase"),
    "advice_neutral": N_("fact %(key)s: the label is asked in the plain frame \"<label>: which is "
                         "correct?\"; a question would read better: write it with ask=\"...\" "
                         "(or make the label a plain noun phrase)"),
    "advice_write_ask": N_("fact %(key)s: no question is made from this label (it is neither "
                           "a noun phrase nor a question the generator can phrase with "
                           "confidence), so the fact has no choice item; write the question "
                           "with ask=\"...\""),
    "advice_add_not": N_("fact %(key)s: no choice item: %(have)s wrong value(s) of the value's "
                         "kind are known and 2 are needed; add %(n)s more not: value(s) "
                         "written like the value"),
    "advice_length_cue": N_("fact %(key)s: the correct answer is much longer than its wrong "
                            "options, or the only one with a qualifier, which gives it away; "
                            "write not: values as long and as qualified as the value"),
    "advice_note_value": N_("fact %(key)s: the value is a note of several parts (joined by "
                            "commas or ·), so no true/false statement is made from it; write "
                            "it as one phrase that completes the label, or write the statement "
                            "with say=\"...\""),
    "advice_value_repeats_label": N_("fact %(key)s: the value repeats the label's last word "
                                     "(\"…의 50%%\" under a label ending on the same noun), so "
                                     "no true/false statement is made; name in the value what "
                                     "the share is of (\"남은 약정 할인액의 50%%\") or write the "
                                     "statement with say=\"...\""),
    "advice_old_not_in_text": N_("fact %(key)s: the text never says what it was before "
                                 "(was: %(old)s), so agents have nothing to learn the change "
                                 "from and the explanations leave it out; say it in the text "
                                 "(\"… was 10 lines, now 5\")"),
    "advice_say_one_clause": N_("fact %(key)s: the say= statement could not be turned round "
                                "for a false statement (it has two clauses, a concession or "
                                "\"no longer\"), so only the true one is made; write it as one "
                                "clause negated or not at its verb (\"Customers do not need to "
                                "call.\", \"고객은 매장에 가지 않아도 됩니다.\")"),
    "advice_value_in_name": N_("fact %(key)s: the name \"%(name)s\" in its question or "
                               "statement gives the value away, so no item is made from it; "
                               "ask what the name does not say (the speed after the "
                               "allowance, who can take it)"),
    "advice_date_title": N_("fact %(key)s: the title is too long (or quoted) to name the change "
                            "in a question, so no item asks for the effective date; write the "
                            "question and the statement with ask=\"...\" and say=\"...\" "
                            "(\"From what date does the new callback rule apply?\")"),
    "advice_clang": N_("fact %(key)s: only the correct answer repeats a word of the question "
                       "(\"%(word)s\"), which gives it away to a test-wise agent; write not: "
                       "values that use the question's words too (other menus ending in the "
                       "same feature, other rules about the same thing)"),
    "advice_old_still_holds": N_("fact %(key)s: the text says the was: value still holds for "
                                 "some (\"%(sentence)s\"), and the question and statement do "
                                 "not say whom the new value is for, so no item is made (its "
                                 "key would be wrong for them); name them in ask= and say="),
    "advice_ask_word_first": N_("fact %(key)s: the ask= question puts its question word after "
                                "a clause of its own, which editors rewrite; put the question "
                                "word first (\"How many months apart …?\", not \"… once in "
                                "how many months?\")"),
    # one change, two languages: the rules (app/domain/translations.py)
    "translation_of_itself": N_("translation_of: a bulletin cannot be a translation of itself "
                                "('%(slug)s')"),
    "translation_lang_same": N_("lang: a translation must be in another language than "
                                "'%(slug)s' (both '%(lang)s')"),
    "translation_field": N_("%(name)s: a translation must agree with '%(slug)s' (there "
                            "%(there)s, here %(here)s)"),
    "translation_fact_missing": N_("fact '%(key)s' of '%(slug)s' has no translation"),
    "translation_fact_extra": N_("fact '%(key)s' is not a fact of '%(slug)s'"),
    "translation_fact_type": N_("fact '%(key)s': type=%(here)s here, type=%(there)s in "
                                "'%(slug)s'"),
    "translation_fact_critical": N_("fact '%(key)s' is %(state)s in '%(slug)s'"),
    "state_critical": N_("critical"),
    "state_not_critical": N_("not critical"),
    "translation_fact_value": N_("fact '%(key)s': %(role)s '%(here)s' does not match "
                                 "'%(there)s' in '%(slug)s' (%(kind)s values must be equal)"),
    "problems_joined": N_("%(first)s; %(rest)s"),
    # one change, two languages: publishing and reading (app/services/content/translations.py)
    "translation_disagrees": N_("%(problems)s"),
    "translation_disagrees_minor": N_("a minor version must still agree with the translation "
                                      "'%(slug)s': %(problems)s"),
    "original_not_published": N_("translation_of: '%(slug)s' has no published version; "
                                 "publish the original first"),
    "translation_of_translation": N_("translation_of: '%(slug)s' is itself a translation (of "
                                     "'%(original)s'): name the original"),
    "translation_outdated": N_("'%(slug)s' waits for a new version that translates the current "
                               "version of its original; read and take the quiz of "
                               "'%(original)s'"),
    "translation_original_missing": N_("translation_of: no bulletin '%(slug)s' in this import "
                                       "or published"),
}

CONTENT_API_CODES: dict[str, str] = {
    "review_status_filter": "invalid_filter",
    "review_fact_filter": "invalid_filter",
    "nothing_selected": "nothing_selected",
    "unknown_item": "unknown_item",
    "item_changed": "item_changed",
    "preview_critical_undrawable": "critical_fact_uncovered",
    "translation_disagrees": "translation_disagrees",
    "translation_disagrees_minor": "translation_disagrees",
    "original_not_published": "original_not_published",
    "translation_of_translation": "translation_of_translation",
    "translation_outdated": "translation_outdated",
}
