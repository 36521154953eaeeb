"""Spaced practice after certification (FSRS), on a frozen 2035 timeline, and its page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fsrs import Rating
from sqlalchemy import func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.errors import Conflict, NotFound, ServiceError
from app.models import Certification, ItemOption, utcnow
from app.models.engagement import PracticeCard, PracticeReview
from app.services.certification import attempts, practice
from tests.eligibility_reference import evaluate_now
from tests.web.test_eligibility_service import PUBLISH, agent, bulletin, pass_quiz, publish

A1, A2 = "agent@example.com", "agent2@example.com"
PASSED = PUBLISH + timedelta(hours=1)  # 11:00 in Seoul
DAY = timedelta(days=1)


@pytest.fixture
def world(ctx, org):
    return ctx


def certify(slug: str = "roaming-fees", front: str = "gate: immediate\n", **kw):
    publish(bulletin(slug, front=front, **kw), PUBLISH)
    return pass_quiz(agent(A1), slug, PASSED)


def cards() -> dict[str, PracticeCard]:
    return {f"{c.version.slug}:{c.fact_key}": c for c in db.session.scalars(
        select(PracticeCard).order_by(PracticeCard.id))}


def key_of(item_id: int) -> int:
    return db.session.scalar(select(ItemOption.id).where(
        ItemOption.item_id == item_id, ItemOption.correct.is_(True)))


def wrong_of(question) -> int:
    key = key_of(question.item["id"])
    return next(o["id"] for o in question.item["options"] if o["id"] != key)


def test_the_certifying_attempt_is_the_first_review(world):
    certify()
    assert practice.today(agent(A1), PASSED) == []  # nothing due on the day of passing
    made = cards()
    assert set(made) == {"roaming-fees:f-fee", "roaming-fees:f-notice"}  # none critical: all
    assert {c.due for c in made.values()} == {PASSED + 2 * DAY}  # FSRS: Good on a new card
    assert practice.today(agent(A2), PASSED + 3 * DAY) == []  # not certified: no practice


def test_only_critical_facts_when_some_are_marked(world):
    certify(front="gate: immediate\ncritical: [f-fee]\n")
    practice.sync_cards(agent(A1), PASSED)
    assert set(cards()) == {"roaming-fees:f-fee"}


def test_a_fact_missed_in_the_certifying_attempt_comes_back_sooner(world):
    publish(bulletin(front="gate: immediate\npass_mark: 50\n"), PUBLISH)
    user = agent(A1)
    attempt = attempts.start(user, "roaming-fees", at=PASSED)
    for entry in attempt.items:
        options = entry.item.options
        choice = next(o.id for o in options if o.correct == (entry.item.fact.key == "f-fee"))
        attempts.save_answer(user, attempt.id, entry.item_id, choice, at=PASSED)
    assert attempts.submit(user, attempt.id, at=PASSED)["passed"] is True
    practice.sync_cards(user, PASSED)
    due = {key: c.due for key, c in cards().items()}
    assert due == {"roaming-fees:f-fee": PASSED + 2 * DAY,
                   "roaming-fees:f-notice": PASSED + DAY}


def test_due_questions_are_served_without_the_key(world):
    certify()
    served = practice.today(agent(A1), PASSED + 3 * DAY)
    assert len(served) == 2
    for question in served:
        assert set(question.item) == {"id", "stem", "kind", "options"}
        assert all(set(o) == {"id", "text"} for o in question.item["options"])
    again = practice.today(agent(A1), PASSED + 3 * DAY + timedelta(minutes=5))
    assert [q.item for q in again] == [q.item for q in served]  # stable until answered


def test_a_right_answer_spaces_the_fact_out_and_a_wrong_one_brings_it_back(world):
    certify()
    at = PASSED + 3 * DAY
    right, wrong = practice.today(agent(A1), at)
    ok = practice.answer(agent(A1), right.card.id, right.item["id"], key_of(right.item["id"]), at)
    bad = practice.answer(agent(A1), wrong.card.id, wrong.item["id"], wrong_of(wrong), at)
    assert (ok.correct, ok.rating, bad.correct, bad.rating) == (
        True, int(Rating.Good), False, int(Rating.Again))
    stored = {c.id: c for c in cards().values()}
    assert stored[right.card.id].due > at + 5 * DAY
    assert stored[wrong.card.id].due == at + DAY
    assert (stored[wrong.card.id].reviews, stored[wrong.card.id].lapses) == (1, 1)
    assert (stored[right.card.id].reviews, stored[right.card.id].lapses) == (1, 0)
    assert [(r.fact_key, r.correct) for r in db.session.scalars(
        select(PracticeReview).order_by(PracticeReview.id))] == [
        (right.card.fact_key, True), (wrong.card.fact_key, False)]


def test_wrong_practice_answers_never_revoke_a_certification(world):
    certify()
    at = PASSED + 3 * DAY
    for question in practice.today(agent(A1), at):
        practice.answer(agent(A1), question.card.id, question.item["id"], wrong_of(question), at)
    assert db.session.scalar(select(func.count(Certification.id))) == 1
    assert all(s.cleared for s in evaluate_now(agent(A1), at).values())


def test_three_items_a_day(world):
    certify()
    certify("parking-fees")
    at = PASSED + 3 * DAY
    served = practice.today(agent(A1), at)
    assert len(served) == 3 and len(cards()) == 4
    for question in served:
        practice.answer(agent(A1), question.card.id, question.item["id"],
                        key_of(question.item["id"]), at)
    assert practice.today(agent(A1), at + timedelta(hours=2)) == []  # the day's budget is used
    tomorrow = practice.today(agent(A1), at + DAY)
    assert [q.card.id for q in tomorrow] == [c.id for c in cards().values()
                                             if c.id not in {q.card.id for q in served}]


def test_answers_are_checked(world):
    certify()
    at = PASSED + 3 * DAY
    question = practice.today(agent(A1), at)[0]
    other = practice.today(agent(A1), at)[1]
    with pytest.raises(NotFound):
        practice.answer(agent(A2), question.card.id, question.item["id"], 1, at)
    with pytest.raises(ServiceError, match="is not an option of item"):
        practice.answer(agent(A1), question.card.id, question.item["id"],
                        other.item["options"][0]["id"], at)
    with pytest.raises(Conflict, match="no longer open"):
        practice.answer(agent(A1), question.card.id, other.item["id"],
                        other.item["options"][0]["id"], at)
    with pytest.raises(ServiceError, match="choose an option"):
        practice.answer(agent(A1), question.card.id, question.item["id"], None, at)
    practice.answer(agent(A1), question.card.id, question.item["id"],
                    key_of(question.item["id"]), at)
    with pytest.raises(Conflict, match="no longer open"):  # answered: not open any more
        practice.answer(agent(A1), question.card.id, question.item["id"],
                        key_of(question.item["id"]), at)
    assert db.session.scalar(select(func.count(PracticeReview.id))) == 1


def test_the_next_question_on_a_fact_is_another_item(world):
    certify()
    at = PASSED + 3 * DAY
    first = practice.today(agent(A1), at)[0]
    practice.answer(agent(A1), first.card.id, first.item["id"], wrong_of(first), at)
    later = next(q for q in practice.today(agent(A1), at + DAY + DAY)
                 if q.card.id == first.card.id)
    assert later.item["id"] != first.item["id"]


def test_a_minor_change_carries_the_schedule_over(world):
    certify()
    at = PASSED + 3 * DAY
    first = practice.today(agent(A1), at)[0]
    practice.answer(agent(A1), first.card.id, first.item["id"], wrong_of(first), at)
    publish(bulletin(body="From 20 March the ==roaming fee== changes, as announced."),
            at + timedelta(hours=1), change="minor")
    practice.sync_cards(agent(A1), at + timedelta(hours=2))
    made = list(db.session.scalars(select(PracticeCard)))
    v1 = {c.fact_key: c for c in made if c.version.number == 1}
    v2 = {c.fact_key: c for c in made if c.version.number == 2}
    assert set(v2) == set(v1)
    for key, old in v1.items():
        assert (v2[key].due, v2[key].state, v2[key].lapses) == (old.due, old.state, old.lapses)
    served = practice.today(agent(A1), at + DAY)
    assert served and {q.card.version.number for q in served} == {2}


def test_no_practice_once_a_material_change_or_expiry_needs_a_new_pass(world):
    certify()
    publish(bulletin(fee="40,000 won"), PASSED + DAY)  # material, gated at once
    assert practice.today(agent(A1), PASSED + 3 * DAY) == []


def test_no_practice_on_an_expired_certification(world):
    certify(front="gate: immediate\nrecertify_after_days: 2\n")
    assert practice.today(agent(A1), PASSED + 3 * DAY) == []


# --- the page ------------------------------------------------------------------------------


def _certify_now(app, review: str = ""):
    with app.app_context():
        now = utcnow()
        publish(bulletin(front=f"gate: immediate\n{review}"), now - timedelta(minutes=5))
        pass_quiz(agent(A1), "roaming-fees", now - timedelta(minutes=4))
        practice.sync_cards(agent(A1), now)
        with unit_of_work():  # as if the first review came days ago
            for card in db.session.scalars(select(PracticeCard)):
                card.due = now - timedelta(hours=1)


def _questions(html: str) -> list[tuple[int, int, list[int]]]:
    forms = re.findall(r'action="/agent/practice/(\d+)".*?name="item" value="(\d+)"(.*?)</form>',
                       html, re.DOTALL)
    return [(int(c), int(i), [int(o) for o in re.findall(r'name="option" value="(\d+)"', rest)])
            for c, i, rest in forms]


def test_practice_page_serves_grades_and_explains(as_role, org, app):
    _certify_now(app)
    client = as_role("agent")
    home = client.get("/agent/").get_data(as_text=True)
    assert "Today&#39;s practice: 2 items" in home or "Today's practice: 2 items" in home
    html = client.get("/agent/practice").get_data(as_text=True)
    assert "correct" not in html.lower() and "explanation" not in html.lower()
    questions = _questions(html)
    assert len(questions) == 2
    card_id, item_id, _ = questions[0]
    with app.app_context():
        key = key_of(item_id)
    response = client.post(f"/agent/practice/{card_id}", data={"item": item_id, "option": key})
    assert response.status_code == 302
    assert re.fullmatch(r"/agent/practice\?answered=\d+", response.location)
    page = client.get(response.location).get_data(as_text=True)
    assert "✓ Right" in page and "Answer:" in page and "This fact comes back on" in page
    assert len(_questions(page)) == 1
    card_id, item_id, options = _questions(page)[0]
    with app.app_context():
        wrong = next(o for o in options if o != key_of(item_id))
    follow = client.post(f"/agent/practice/{card_id}", data={"item": item_id, "option": wrong},
                         follow_redirects=True).get_data(as_text=True)
    assert "✗ Not quite" in follow and "Nothing to practise right now." in follow


def test_practice_feedback_follows_a_never_policy(as_role, org, app):
    _certify_now(app, review="review: never\n")
    client = as_role("agent")
    card_id, item_id, options = _questions(client.get("/agent/practice").get_data(as_text=True))[0]
    page = client.post(f"/agent/practice/{card_id}", data={"item": item_id, "option": options[0]},
                       follow_redirects=True).get_data(as_text=True)
    assert "Your answer:" in page and "Answer:" not in page.replace("Your answer:", "")


def test_practice_answer_needs_an_option(as_role, org, app):
    _certify_now(app)
    client = as_role("agent")
    card_id, item_id, _ = _questions(client.get("/agent/practice").get_data(as_text=True))[0]
    page = client.post(f"/agent/practice/{card_id}", data={"item": item_id},
                       headers={"Referer": "/agent/practice"}, follow_redirects=True)
    assert "choose an option before checking your answer" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(PracticeReview.id))) == 0
