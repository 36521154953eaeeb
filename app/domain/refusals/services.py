"""TODO"""

from app.domain.refusals._mark import N_

SERVICES: dict[str, str] = {
    # quizzes and attempts (app/services/certification/attempts.py, app/domain/draw.py)
    "no_attempt": N_("no attempt %(id)s"),
    "already_certified": N_("you are already certified on '%(slug)s'"),
    "already_certified_until": N_("you are already certified on '%(slug)s' until %(day)s"),
    "retake_cooldown": N_("after a failed attempt there is a short pause; you can try again at "
                          "%(when)s (%(tz)s)"),
    "retake_daily_cap": N_("today's attempts are used up; you can try again at %(when)s "
                           "(%(tz)s)"),
    "no_items_to_ask": N_("'%(slug)s' has no approved items to ask yet"),
    "critical_fact_not_drawable": N_("critical fact has no item to draw: %(facts)s"),
    "attempt_in_progress": N_("an attempt on this bulletin is already in progress"),
    "attempt_timed_out": N_("attempt %(id)s's time ran out; your saved answers were submitted"),
    "item_not_in_attempt": N_("item %(item)s is not part of attempt %(attempt)s"),
    "option_not_in_item": N_("option %(option)s is not an option of item %(item)s"),
    "attempt_final": N_("attempt %(id)s is already %(status)s; answers are final"),
    # search (app/domain/search_text.py)
    "search_empty": N_("type at least one word to search for"),
    "search_too_long": N_("the search is %(n)s characters long; at most %(limit)s are allowed"),
    "search_too_many_words": N_("the search has %(n)s words; at most %(limit)s are allowed"),
    # bulletins, versions and drafts (app/services/content/bulletins.py, drafts.py)
    "no_bulletin": N_("no bulletin '%(slug)s'"),
    "no_published_version": N_("no published version '%(slug)s'"),
    "item_fact_unknown": N_("item '%(key)s' names fact '%(fact)s', which this bulletin does not "
                            "have"),
    "change_invalid": N_("change must be 'material' or 'minor', not %(value)s"),
    "version_not_draft": N_("version %(n)s of '%(slug)s' is already %(status)s"),
    "status_draft": N_("draft"),
    "status_published": N_("published"),
    "status_retired": N_("retired"),
    "no_approved_items": N_("approve at least one item before publishing: agents are only "
                            "served approved items"),
    "critical_fact_uncovered": N_("critical facts without an approved item: %(facts)s"),
    "bulletin_exists": N_("a bulletin with id '%(slug)s' already exists ('%(title)s', version "
                          "%(n)s): give the new bulletin another id, or create a new version "
                          "of '%(title2)s'"),
    "id_mismatch": N_("the source's id '%(source)s' is not this bulletin's id '%(slug)s': a "
                      "new version keeps the id (to start another bulletin, create it under "
                      "its own id)"),
    "edit_conflict": N_("'%(slug)s' changed since your copy was loaded (now version %(n)s, "
                        "revision %(r)s, last edited by %(who)s at %(when)s): nothing was "
                        "saved"),
    "no_draft": N_("'%(slug)s' has no draft to discard: version %(n)s is %(status)s, and "
                   "published versions are never deleted"),
    "first_version": N_("version %(n)s of '%(slug)s' is its first published version: there "
                        "are no certifications to carry over, so it cannot be a minor change "
                        "(publish it without 'change')"),
    # reviewing items (app/services/content/review.py)
    "item_field_unknown": N_("unknown field '%(name)s'; editable: %(fields)s"),
    "published_items_fixed": N_("the items of a published version can only be retired or "
                                "approved; edit the bulletin to make a new draft version"),
    "item_kind_invalid": N_("kind must be one of %(options)s"),
    "item_status_invalid": N_("status must be one of %(options)s"),
    "item_text_required": N_("'%(name)s' must be a non-empty string"),
    "options_too_few": N_("write at least 2 options"),
    "option_text_required": N_("option %(n)s needs a text"),
    "option_source_invalid": N_("options[%(n)s].source must be one of %(options)s"),
    "options_one_correct": N_("exactly one option must be correct: mark an option that has "
                              "a text"),
    "items_added_to_draft_only": N_("items can only be added to a draft version; edit the "
                                    "bulletin first"),
    "item_fact_not_in_bulletin": N_("'fact' must name one of this bulletin's facts: %(keys)s"),
    "options_required": N_("write at least 2 options and mark exactly one as correct"),
    "regenerate_draft_only": N_("only a draft version's items can be regenerated"),
    "import_draft_only": N_("questions can only be imported into a draft version"),
    "no_fact_in_version": N_("no fact '%(fact)s' in '%(slug)s'"),
    # versions, receipts, labels (app/services/content/versions.py, receipts.py, labels.py)
    "no_version_number": N_("'%(slug)s' has no version %(n)s"),
    "version_number_invalid": N_("'%(name)s' must be a version number, not %(raw)s"),
    "version_number_too_small": N_("'%(name)s' must be a version number of 1 or more, not "
                                   "%(raw)s"),
    "no_earlier_version": N_("'%(slug)s' version 1 has no earlier version to compare with; "
                             "choose 'from' and 'to'"),
    "attempts_choice_invalid": N_("attempts must be 'first' or 'all', not '%(value)s'"),
    "label_name_empty": N_("the %(locale)s name of '%(code)s' is empty"),
    "version_not_assigned": N_("version %(n)s of '%(slug)s' is not assigned to you"),
    # practice and the inbox (app/services/certification/practice.py, inbox.py)
    "practice_item_required": N_("item is required: answer a question served on the practice "
                                 "page"),
    "practice_option_required": N_("choose an option before checking your answer"),
    "no_practice_card": N_("no practice card %(id)s"),
    "practice_question_closed": N_("this practice question is no longer open (answered "
                                   "already, or not due today); reload the practice page"),
    "no_practice_answer": N_("no practice answer %(id)s"),
    "no_notice": N_("no notice %(id)s in your inbox"),
    "no_unread_notice": N_("no unread notice on version %(id)s in your inbox"),
    # what was in force on a day (app/queries/point_in_time.py)
    "date_required": N_("'date' is required (YYYY-MM-DD)"),
    "date_invalid": N_("'date' must be a day as YYYY-MM-DD, not %(value)s"),
    "skill_required": N_("'skill' is required (a call type code)"),
    # the review page's notes (app/domain/generation)
    "coverage_fact": N_("fact %(key)s: %(n)s item(s) of %(kinds)s kind(s); needs at least "
                        "%(needed)s items of %(min)s different kinds"),
    "coverage_critical_fact": N_("critical fact %(key)s: %(n)s item(s) of %(kinds)s kind(s); "
                                 "needs at least %(needed)s items of %(min)s different kinds"),
    "advice_needs_not": N_("fact %(key)s: no choice item: fewer than 2 wrong options of the "
                           "value's kind are known; add not: values"),
    "advice_long_old": N_("fact %(key)s: the was: value and the value differ much in length, "
                          "so the length gives the answer away; shorten the longer one"),
    "advice_needs_ask": N_("fact %(key)s: the label could not be phrased as a statement; write "
                           "the question with ask=\"...\" and the statement that is true "
                           "now with say=\"...\""),
    "advice_old_in_new": N_("fact %(key)s: the was: value is part of the new value, so it is "
                            "still true and is not offered as a wrong answer"),
    # item statistics notes (app/queries/item_stats.py)
    "team_scope": N_("only attempts by agents of your teams (%(teams)s) are counted"),
    "teams_none": N_("none"),
    # report filters (app/web/manager/filters.py, app/domain/readiness.py)
    "filter_date_invalid": N_("%(name)s: '%(value)s' is not a date (YYYY-MM-DD)"),
    "filter_unknown_bulletin": N_("bulletin: unknown bulletin '%(bulletin)s'"),
    "filter_range_reversed": N_("from: %(start)s is after to: %(end)s"),
    "range_start_after_end": N_("from: %(start)s is after the end of the range"),
    "range_too_long": N_("from: the range covers %(weeks)s weeks; at most %(most)s are shown"),
    # reports, compliance and the audit (app/queries/reports.py, compliance.py, audit.py)
    "period_bound_invalid": N_("'%(name)s' must be a day (YYYY-MM-DD) or an RFC 3339 date and "
                               "time with an offset, not %(value)s"),
    "period_reversed": N_("'from' must come before 'to'"),
    "limit_invalid": N_("'limit' must be a whole number from 1 to %(most)s, not %(value)s"),
    "report_cursor_invalid": N_("'cursor' must be a next_cursor this report gave, not "
                                "%(value)s"),
    "time_required": N_("'time' is required: an ISO 8601 instant such as "
                        "2030-01-10T09:00:00+09:00"),
    "time_invalid": N_("'time' must be an ISO 8601 date and time, not %(value)s"),
    "time_in_future": N_("'time' must not be in the future (%(value)s): an audit reads what "
                         "happened"),
    "no_team": N_("no team '%(team)s'"),
    "team_not_yours": N_("team '%(team)s' is not one of your teams (or does not exist)"),
    "no_agent_in_teams": N_("no agent '%(ref)s' in your teams"),
    "no_agent": N_("no agent with external_id '%(ref)s'"),
    "agent_not_assigned": N_("agent '%(ref)s' has no assignment on version %(n)s of "
                             "'%(slug)s'"),
    # reminders from the board (app/services/certification/reminders.py)
    "pick_invalid": N_("pick '%(value)s' is not an agent and a bulletin from the list"),
    "pick_required": N_("choose at least one agent to remind"),
    "picks_too_many": N_("at most %(n)s reminders at once"),
    "not_your_team": N_("pick '%(value)s' is not an agent of your teams: you may remind only "
                        "the agents of the teams you manage"),
    "pick_not_assigned": N_("pick '%(value)s' is not an assignment of a published bulletin"),
    # the change feed (app/services/integration/feed.py)
    "feed_cursor_invalid": N_("cursor %(value)s is not one this API gave out; start without "
                              "it"),
    "number_out_of_range": N_("'%(name)s' must be a whole number from %(low)s to %(high)s, got "
                              "%(value)s"),
    # webhook endpoints (app/domain/webhooks.py, app/services/integration/webhook_endpoints.py)
    "url_not_text": N_("'url' must be a string"),
    "url_empty": N_("'url' is empty"),
    "url_too_long": N_("'url' is longer than %(limit)s characters"),
    "url_spaces": N_("'url' %(url)s contains spaces or control characters"),
    "url_scheme": N_("'url' %(url)s must start with http:// or https://"),
    "url_port": N_("'url' %(url)s has an invalid port"),
    "url_no_host": N_("'url' %(url)s has no host"),
    "url_credentials": N_("'url' %(url)s must not carry a user name or password"),
    "url_fragment": N_("'url' %(url)s must not have a #fragment"),
    "events_not_list": N_("'events' must be an array of event types"),
    "events_empty": N_("'events' must list at least one event type: %(types)s"),
    "event_not_text": N_("'events' must hold strings, not %(event)s"),
    "event_unknown": N_("unknown event type %(event)s in 'events'; expected one of: %(types)s"),
    "no_webhook_endpoint": N_("no webhook endpoint %(id)s"),
    "no_delivery": N_("no delivery %(id)s for webhook endpoint %(endpoint)s"),
    "delivery_busy": N_("delivery %(id)s is being sent right now; try again in a minute"),
    # why an endpoint was disabled and a delivery given up, as stored (Problem.stored)
    "webhook_disabled_by_admin": N_("disabled by an admin"),
    "webhook_receiver_gone": N_("the receiver answered 410 Gone on %(at)s"),
    "webhook_gave_up": N_("gave up after %(attempts)s attempts (%(error)s)"),
    # API requests (app/services/integration/idempotency.py, app/api/)
    "invalid_idempotency_key": N_("the Idempotency-Key header must be 1 to 255 printable ASCII "
                                  "characters"),
    "idempotency_key_in_use": N_("a request with this Idempotency-Key is still being "
                                 "processed; retry in a moment"),
    # sessions, sign-in and preferences
    "session_reason_invalid": N_("reason %(reason)s must be one of %(options)s"),
    "no_user": N_("no user with id %(id)s"),
    "password_length": N_("a password has 1 to 200 characters"),
    "lang_unsupported": N_("lang=%(value)s is not a supported language; choose one of "
                           "%(choices)s"),
    "parameter_nul": N_("'%(name)s' must not contain a NUL character"),
    "body_not_json": N_("the request body must be JSON (Content-Type: application/json)"),
    "body_not_object": N_("the request body must be an object"),
    "body_not_array": N_("the request body must be an array"),
    "body_nul": N_("the request body must not contain NUL characters (\\u0000)"),
    "field_required": N_("'%(name)s' is required"),
    "field_type": N_("'%(name)s' must be %(expected)s"),
    "no_item": N_("no item '%(key)s' in '%(slug)s'"),
    "too_many_rows": N_("at most %(most)s calls per request, not %(n)s: send them in several "
                        "requests"),
    "invite_not_bool": N_("'invite' must be true or false, not %(value)s"),
    "wait_invalid": N_("'wait' must be a number of seconds from 0 to %(most)s, got %(value)s"),
    "bulletin_required": N_("'bulletin' is required: the slug of a published bulletin"),
    "search_limit_not_number": N_("'limit' must be a whole number, not %(value)s"),
    "search_limit_range": N_("'limit' must be between 1 and %(most)s, not %(value)s"),
    "search_query_required": N_("'q' is required: the words to search for"),
    # pages (app/web/agent, app/web/trainer, app/web/manager, app/web/agent_support)
    "whole_number_required": N_("%(field_name)s must be a whole number, not %(value)s"),
    "unlock_bulletin_required": N_("bulletin is required: which bulletin to unlock"),
    "no_export_format": N_("no export format '%(fmt)s' (gift or xml)"),
    "board_page_invalid": N_("page: must be a whole number from 1 to %(count)s, not "
                             "'%(value)s'"),
    # backups (app/core/database.py, the CLI)
    "backup_sqlite_only": N_("backup copies the embedded SQLite database; on PostgreSQL use "
                             "pg_dump (see docs/deploy.md)"),
    "backup_exists": N_("%(path)s exists already; give a new file name"),
    "backup_no_folder": N_("folder %(path)s does not exist"),
    # the directory sync (app/services/accounts/directory.py)
    "invalid_rows": N_("%(n)s problem(s) found, nothing was written; first: %(first)s"),
    # SCIM provisioning (app/domain/provisioning.py, app/services/accounts/provisioning*.py)
    "scim_invalid_attributes": N_("%(problems)s"),
    "scim_user_name_invalid": N_("is required, at most 254 characters"),
    "scim_email_invalid": N_("%(value)s is not an e-mail address; OneVoice needs one (a work "
                             "e-mail in emails, or a userName that is an e-mail address)"),
    "scim_name_invalid": N_("a name is required, at most 200 characters"),
    "scim_external_id_invalid": N_("%(value)s must be 1 to 128 characters without '/' or "
                                   "control characters"),
    "scim_role_invalid": N_("%(value)s must be one of %(roles)s"),
    "scim_skills_unknown": N_("unknown call type(s) %(codes)s; call types are created in "
                              "OneVoice first: choose from %(choices)s"),
    "scim_no_user": N_("no User with id %(id)s"),
    "scim_user_taken": N_("userName %(user_name)s or e-mail %(email)s belongs to another user"),
    "scim_external_id_taken": N_("externalId %(value)s belongs to another user"),
    "scim_no_group": N_("no Group with id %(id)s"),
    "scim_team_has_calls": N_("team %(name)s has answered calls on record (the compliance "
                              "history names it); it is kept: take its members out instead"),
    "scim_team_name_invalid": N_("a team name is required, at most 200 characters"),
    "scim_team_name_taken": N_("a team named %(name)s exists already"),
    "scim_team_external_id_taken": N_("externalId %(value)s belongs to another team"),
    # the change feed, idempotency and sign-in throttling
    "since_too_old": N_("since=%(since)s is older than the change feed keeps (events are kept "
                        "%(days)s days; the oldest kept is seq %(first)s); read GET /eligibility "
                        "again and follow the feed from its as_of"),
    "idempotency_key_reused": N_("this Idempotency-Key was used with a different request "
                                 "(method, path or body); use a new key for a new request"),
    "too_many_attempts": N_("too many failed attempts; try again after %(when)s"),
    "too_many_sign_ins": N_("too many failed sign-ins; try again after %(when)s"),
    "receipt_version_invalid": N_("version must be a version number of 1 or more, not "
                                  "%(raw)s"),

}

API_CODES: dict[str, str] = {
    "already_certified": "already_certified",
    "already_certified_until": "already_certified",
    "attempt_in_progress": "attempt_in_progress",
    "no_approved_items": "no_approved_items",
    "critical_fact_uncovered": "critical_fact_uncovered",
    "bulletin_exists": "bulletin_exists",
    "id_mismatch": "id_mismatch",
    "edit_conflict": "edit_conflict",
    "no_draft": "no_draft",
    "first_version": "first_version",
    "date_required": "missing_field",
    "skill_required": "missing_field",
    "time_required": "missing_field",
    "pick_required": "missing_field",
    "not_your_team": "not_your_team",
    "url_not_text": "invalid_field",
    "events_not_list": "invalid_field",
    "url_empty": "invalid_url",
    "url_too_long": "invalid_url",
    "url_spaces": "invalid_url",
    "url_scheme": "invalid_url",
    "url_port": "invalid_url",
    "url_no_host": "invalid_url",
    "url_credentials": "invalid_url",
    "url_fragment": "invalid_url",
    "events_empty": "invalid_events",
    "event_not_text": "invalid_events",
    "event_unknown": "invalid_events",
    "invalid_idempotency_key": "invalid_idempotency_key",
    "idempotency_key_in_use": "idempotency_key_in_use",
    "parameter_nul": "invalid_parameter",
    "invite_not_bool": "invalid_parameter",
    "body_not_json": "invalid_json",
    "body_not_object": "invalid_json",
    "body_not_array": "invalid_json",
    "body_nul": "invalid_json",
    "field_required": "missing_field",
    "bulletin_required": "missing_field",
    "search_query_required": "missing_field",
    "field_type": "invalid_field",
    "too_many_rows": "too_many_rows",
    "invalid_rows": "invalid_rows",
    "scim_invalid_attributes": "invalidValue",
    "scim_user_taken": "uniqueness",
    "scim_external_id_taken": "uniqueness",
    "scim_team_name_taken": "uniqueness",
    "scim_team_external_id_taken": "uniqueness",
    "since_too_old": "since_too_old",
    "idempotency_key_reused": "idempotency_key_reused",
    "too_many_attempts": "too_many_attempts",
    "too_many_sign_ins": "too_many_attempts",
    "mail_not_configured": "mail_not_configured",
    "invalid_link": "invalid_link",
    "admin_token_unconfirmed": "admin_token_unconfirmed",
}
