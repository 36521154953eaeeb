"""The lint of generated items (app/domain/generation/lint.py) and the defects an editor
rejected items for (issue 14), checked on hand-made cases, the demo content and every
benchmark bulletin."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import BulletinDoc, Fact, ItemDraft, OptionDraft
from app.domain.generation import (
    FactIndex,
    GenerationContext,
    generate_items,
    generation_warnings,
    lint_items,
)
from app.domain.generation.lint import lint_item
from app.domain.generation.normalise import normalise
from app.domain.generation.values import amount, unit_family
from app.domain.quiz_format import parse_quiz

ROOT = Path(__file__).resolve().parents[2]
DOC = BulletinDoc(slug="b", title="t", effective=date(2026, 3, 1), skills=("s",), facts=(),
                  body="", source="")
KO = replace(DOC, lang="ko")
CHANGED = Fact("f-x", "Monthly fee", "₩30,000", "money", "₩10,000")
UNCHANGED = Fact("f-x", "Monthly fee", "₩30,000", "money")


def item(stem: str, *options: str, kind: str = "choice", explanation: str = "") -> ItemDraft:
    return ItemDraft(key="f-x-1", fact="f-x", kind=kind, stem=stem, explanation=explanation,
                     options=tuple(OptionDraft(t, correct=not n, source=None if not n else "not")
                                   for n, t in enumerate(options)))


def near(made: ItemDraft) -> ItemDraft:
    """The item with its wrong options made by the generator (ladder steps)."""
    return replace(made, options=tuple(o if o.correct else replace(o, source="perturbed")
                                       for o in made.options))


@pytest.mark.parametrize(("doc", "fact", "bad", "code"), [
    (DOC, CHANGED, item("What is the fee?", "₩30,000", "₩10,000"), "few_options"),
    (DOC, CHANGED, item("What is the fee?", "₩30,000", "₩10,000", "20 GB"), "mixed_units"),
    (DOC, CHANGED, item("What is the fee?", "₩30,000", "₩10,000", "free"), "mixed_units"),
    (DOC, CHANGED, item("What is the how customers opt in?", "a", "b", "c"),
     "label_in_noun_slot"),
    (DOC, CHANGED, item("A customer asks you about the who owns a dispute.", "a", "b", "c"),
     "label_in_noun_slot"),
    (DOC, CHANGED, item("Fine?", "a", "b", "c", explanation="Since then the a Wi-Fi question"
                        " is x."), "label_in_noun_slot"),
    (KO, CHANGED, item("거절하면은 무엇입니까?", "a", "b", "c"), "particle_after_ending"),
    (KO, CHANGED, item("요청하면에 대해 올바른 것은?", "a", "b", "c"), "particle_after_ending"),
    (KO, CHANGED, item("위약금의 50%를 내고를 해지합니다.", "맞음", "틀림", kind="true_false"),
     "particle_after_ending"),
    (KO, CHANGED, item("안내를 끌 수 없다고를 안내합니다.", "맞음", "틀림", kind="true_false"),
     "particle_after_ending"),
    (DOC, CHANGED, item("Is the fee ₩30,000 or more?", "₩30,000", "₩10,000", "₩20,000"),
     "key_in_stem"),
    (DOC, CHANGED, item("Call 080-300-0112 (the fraud line): which number is it?",
                        "080-300-0112", "080-300-0113", "1588-0010"), "key_in_stem"),
    (DOC, UNCHANGED, item("From 1 March 2026, what is the fee?", "₩30,000", "₩10,000",
                          "₩20,000"), "change_on_unchanged"),
    (KO, UNCHANGED, item("2026년 3월 1일부터 요금은 얼마입니까?", "₩30,000", "₩10,000", "₩20,000"),
     "change_on_unchanged"),
    (DOC, CHANGED, item("Which answer is right for “Auto-block applies”?", "Yes", "No",
                        kind="true_false"), "yes_no_framing"),
    (DOC, CHANGED, item("From 1 March 2026: auto-block applies — Yes.", "True", "False",
                        kind="true_false"), "yes_no_framing"),
    (KO, CHANGED, item("요금은 30,000원입니다.", "맞다", "틀리다", kind="true_false"),
     "yes_no_framing"),
    # the defects of the fresh-bulletin rating (benchmarks/ratings/fresh1.tsv)
    (DOC, CHANGED, item("The answer to “Which of these describes how customers opt in?” is:"
                        " by app.", "True", "False", kind="true_false"), "quoted_question"),
    (KO, CHANGED, item("‘요금제 변경이 언제 적용됩니까?’에 대한 답은 ‘다음 달 1일’입니다.", "맞음",
                       "틀림", kind="true_false"), "quoted_question"),
    (DOC, CHANGED, item("The support line is now _____, open ==9 a.m.", "080-2580-0114",
                        "080-2580-0100", "080-2580-0115", kind="cloze"), "raw_markup"),
    (DOC, CHANGED, item("The support line is now _____, open 9", "080-2580-0114",
                        "080-2580-0100", "080-2580-0115", kind="cloze"), "cut_sentence"),
    (DOC, CHANGED, item("The line is _____, open 9 a.m. to 6 p.m..", "080-2580-0114",
                        "080-2580-0100", "080-2580-0115", kind="cloze"), "cut_sentence"),
    (DOC, CHANGED, item("What is the new name of KT Home Safe?", "Home Guard", "KT Home Safe",
                        "Home Keeper"), "option_in_stem"),
    (KO, CHANGED, near(item("예약 변경 마감은 언제입니까?", "방문 24시간 전", "방문 25시간 전",
                            "방문 48시간 전")), "near_duplicate_options"),
    (DOC, CHANGED, near(item("What is the speed?", "256 kbps", "250 kbps", "1 Mbps")),
     "near_duplicate_options"),
])
def test_the_lint_flags_each_mechanical_defect(doc, fact, bad, code):
    assert code in lint_item(bad, fact, doc)


@pytest.mark.parametrize(("doc", "fact", "good"), [
    (DOC, CHANGED, item("From 1 March 2026, what is the monthly fee?", "₩30,000", "₩10,000",
                        "₩27,000")),
    (DOC, CHANGED, item("What is the rule?", "3 hours", "1 day", "2 hours")),  # one family
    (DOC, UNCHANGED, item("What is the monthly fee?", "₩30,000", "₩27,000", "₩33,000")),
    (KO, CHANGED, item("접속 화면은 무엇입니까?", "a", "b", "c")),  # 화면 is a noun
    (KO, CHANGED, item("요금은 30,000원입니다.", "맞음", "틀림", kind="true_false")),
    (DOC, CHANGED, item("Suspected fraud goes to the line _____, which replaces 1588-0010.",
                        "080-300-0112", "080-300-0113", "080-300-0114", kind="cloze")),
    (DOC, CHANGED, item("What is the fee?", "₩30,000", "₩29,000", "₩60,000")),  # authored
    (DOC, CHANGED, item("What is the age-check code?", "Y24A", "Y23A", "Y22A")),  # codes
    (KO, CHANGED, item("요금제 변경은 다음 달 1일에 적용됩니다.", "맞음", "틀림",
                       kind="true_false")),
    # frequencies and phrases holding a number are not amounts of another unit
    (DOC, CHANGED, item("How often can a customer switch add-ons?", "once a month",
                        "once every 6 months", "once every 3 months")),
    (KO, CHANGED, item("등록하지 않은 번호로 보낸 문자는 어떻게 처리합니까?", "발송을 차단",
                       "하루 100건까지만 발송을 허용", "발송한 뒤 경고 문자를 안내")),
    (DOC, CHANGED, item("How many numbers can a customer apply for?", "1 number", "3 numbers",
                        "2 numbers")),                       # one unit, singular or plural
    (KO, CHANGED, item("잔액은 무엇을 입력해 조회합니까?", "*1114#", "*114#", "#1114")),  # codes
])
def test_the_lint_passes_good_items(doc, fact, good):
    assert lint_item(good, fact, doc) == []


def test_duplicate_option_sets_within_a_fact_are_flagged():
    one = item("What is the fee?", "₩30,000", "₩10,000", "₩27,000")
    two = replace(one, key="f-x-5", stem="What exactly is the fee?")
    other_fact = replace(one, key="f-y-1", fact="f-y")
    doc = replace(DOC, facts=(CHANGED, replace(CHANGED, key="f-y")))
    found = lint_items(doc, [one, two, other_fact])
    assert found == {"f-x-1": [], "f-x-5": ["duplicate_options"], "f-y-1": []}


# --- the demo content and the benchmark bulletins ------------------------------------------


def _docs(folder: Path) -> list[BulletinDoc]:
    return [parse_bulletin(p.read_text(encoding="utf-8"), p.name)
            for p in sorted(folder.glob("*.md"))]


def _generated(folder: Path) -> list[tuple[BulletinDoc, list[ItemDraft]]]:
    docs = _docs(folder)
    index = FactIndex.of((doc.slug, fact) for doc in docs for fact in doc.facts)
    return [(doc, generate_items(doc, context=GenerationContext.around(index, doc.slug)))
            for doc in docs]


FOLDERS = {"demo": ROOT / "policy_changes", "corpus": ROOT / "benchmarks" / "corpus",
           "heldout": ROOT / "benchmarks" / "corpus" / "heldout",
           "fresh": ROOT / "benchmarks" / "corpus" / "fresh",
           "dev": ROOT / "benchmarks" / "corpus" / "dev"}


@pytest.fixture(scope="module", params=list(FOLDERS))
def generated(request):
    return request.param, _generated(FOLDERS[request.param])


def test_the_demo_quiz_files_and_generated_items_have_no_lint_defect():
    for doc in _docs(FOLDERS["demo"]):
        quiz = parse_quiz((ROOT / "quizzes" / f"{doc.slug}.yaml").read_text(encoding="utf-8"),
                          f"{doc.slug}.yaml")
        assert {k: v for k, v in lint_items(doc, quiz.items).items() if v} == {}, doc.slug
        assert quiz.items == tuple(replace(i, status="approved") for i in generate_items(doc))


def test_benchmark_items_are_at_least_95_percent_free_of_lint_defects(generated):
    _, pairs = generated
    flags = [(doc.slug, key, codes) for doc, items in pairs
             for key, codes in lint_items(doc, items).items() if codes]
    total = sum(len(items) for _, items in pairs)
    assert total > 50 and len(pairs) >= 6
    assert 1 - len(flags) / total >= 0.95, flags


def test_every_item_but_true_false_has_three_options_of_the_keys_kind(generated):
    _, pairs = generated
    for doc, items in pairs:
        facts = {fact.key: fact for fact in doc.facts}
        for found in items:
            if found.kind == "true_false":
                assert len(found.options) == 2
                continue
            assert len(found.options) >= 3, found.key
            authored = {normalise(v) for v in (facts[found.fact].old_value or "",)}
            families = {unit_family(o.text) for o in found.options
                        if amount(o.text) and normalise(o.text) not in authored}
            assert len(families) <= 1, (doc.slug, found.key, found.options)


def test_no_two_items_of_a_fact_share_an_option_set(generated):
    _, pairs = generated
    for doc, items in pairs:
        seen = set()
        for found in items:
            if found.kind != "true_false":
                options = (found.fact, frozenset(normalise(o.text) for o in found.options))
                assert options not in seen, (doc.slug, found.key)
                seen.add(options)


def test_cloze_options_come_from_the_facts_own_values(generated):
    _, pairs = generated
    for doc, items in pairs:
        for found in (i for i in items if i.kind == "cloze"):
            assert {o.source for o in found.options if not o.correct} <= {
                "old", "not", "perturbed"}, (doc.slug, found.key)


def test_facts_that_did_not_change_get_no_dated_stem(generated):
    _, pairs = generated
    for doc, items in pairs:
        for found in items:
            codes = lint_item(found, {f.key: f for f in doc.facts}[found.fact], doc)
            assert "change_on_unchanged" not in codes, (doc.slug, found.key)


def test_korean_true_false_answers_are_words_agents_use(generated):
    _, pairs = generated
    for doc, items in pairs:
        for found in (i for i in items if i.kind == "true_false" and doc.lang == "ko"):
            assert [o.text for o in found.options] in (["맞음", "틀림"], ["예", "아니요"])


def test_the_old_value_is_never_dropped_and_a_long_one_is_warned_about():
    fact = Fact("f-late", "Late fee", "5%", "text", "a fixed ten thousand won", ("10%", "3%"))
    doc = replace(DOC, facts=(fact,))
    items = generate_items(doc)
    choice = next(i for i in items if i.key == "f-late-1")
    assert OptionDraft("a fixed ten thousand won", source="old") in choice.options
    assert any(w.message.startswith("fact f-late: the was: value and the value differ much in "
                                    "length")
               for w in generation_warnings(doc, items))


def test_a_wrong_option_that_the_body_states_elsewhere_is_not_offered():
    body = "고객은 ==무료==로 상담합니다. 해지 상담은 유료로 상담합니다."
    fact = Fact("f-call", "상담 요금", "무료", "text", None, ("유료", "할부", "정기", "할인"))
    doc = replace(KO, body=body, facts=(fact,))
    cloze = next((i for i in generate_items(doc) if i.kind == "cloze"), None)
    assert cloze is not None
    # "유료로 상담합니다" is in the body: a true sentence; 할인 takes 으로, not 로
    assert {o.text for o in cloze.options} == {"무료", "할부", "정기"}


def test_no_cloze_when_the_old_value_cannot_be_offered():
    # the old value would make a sentence the body states: a cloze without it is not made
    body = "고객은 ==무료==로 상담합니다. 해지 상담은 유료로 상담합니다."
    fact = Fact("f-call", "상담 요금", "무료", "text", "유료", ("할부", "정기", "할인"))
    doc = replace(KO, body=body, facts=(fact,))
    assert not [i for i in generate_items(doc) if i.kind == "cloze"]
