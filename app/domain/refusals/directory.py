"""What the directory sync says about a CSV file or a row (app/domain/directory.py)."""

from app.domain.refusals._mark import N_

DIRECTORY: dict[str, str] = {
    "column_unknown": N_("unknown column %(column)s; expected %(fields)s"),
    "column_twice": N_("column %(column)s appears twice"),
    "column_missing": N_("column %(column)s is missing"),
    "cells_count": N_("expected %(expected)s cells, found %(found)s"),
    "active_cell_invalid": N_("%(value)s is not one of true/false, yes/no, 1/0 (empty means "
                              "active)"),
    "csv_empty": N_("the file is empty; row 1 must be the header %(header)s"),
    "csv_header_unreadable": N_("not a readable CSV header: %(problem)s"),
    "csv_unreadable": N_("not readable as CSV: %(problem)s"),
    "csv_too_large": N_("the file is larger than 20 MB; split it"),
    "csv_not_utf8": N_("the file is not UTF-8 text (byte %(byte)s); save it as 'CSV UTF-8'"),
    "row_field_required": N_("'%(field)s' is required"),
    "row_field_not_text": N_("'%(field)s' must be a string"),
    "row_field_too_long": N_("'%(field)s' is longer than %(limit)s characters"),
    "row_skills_required": N_("'skills' is required (an empty list for none)"),
    "row_skills_not_list": N_("'skills' must be a list of skill codes"),
    "row_skill_separator": N_("unknown call type '%(code)s': separate call types with ';' or "
                              "spaces"),
    "row_field_unknown": N_("unknown field %(field)s; expected %(fields)s"),
    "row_external_id_invalid": N_("%(value)s may not contain '/' or control characters"),
    "row_active_not_bool": N_("'active' must be true or false"),
    "row_external_id_not_agent": N_("%(value)s belongs to a %(role)s account, not an agent"),
    "row_email_taken_by": N_("%(email)s belongs to another user (external_id %(id)s)"),
    "row_email_taken": N_("%(email)s belongs to another user"),
    "row_repeated": N_("%(value)s appears again (first on row %(row)s)"),
    "row_not_object": N_("each row must be an object"),
    # answered calls (app/domain/calls.py, app/services/calls/answered.py)
    "call_not_object": N_("each call must be an object with %(fields)s"),
    "call_id_invalid": N_("'call_id' must be 1 to 128 printable characters"),
    "answered_at_invalid": N_("%(value)s is not an RFC 3339 date and time with an offset, such "
                              "as 2030-01-10T09:00:00+09:00"),
    "answered_at_future": N_("%(value)s is in the future"),
    "call_id_repeated": N_("call_id %(value)s is also in row %(row)s"),
    "call_agent_unknown": N_("no agent with external_id %(value)s"),
    "call_skill_unknown": N_("unknown call type %(code)s; one of %(choices)s"),
    "call_recorded_differently": N_("call %(value)s was recorded before with agent %(agent)s, "
                                    "skill %(skill)s, answered_at %(when)s"),
}
