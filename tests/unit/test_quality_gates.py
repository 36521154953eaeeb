"""Quality gates for generated items, option normalisation and Korean particles."""

from __future__ import annotations

import pytest

from app.domain.bulletin.types import ItemDraft, OptionDraft
from app.domain.generation import GATES, check_item, fix_particles, has_batchim
from app.domain.generation.gates import lengths_comparable
from app.domain.generation.korean import batchim_class, particle_for, particle_problems
from app.domain.generation.normalise import contains_text, normalise


def item(stem: str, *options: str, kind: str = "choice", correct: int = 0,
         sources: dict[int, str | None] | None = None) -> ItemDraft:
    """An item whose option ``correct`` is the key; wrong options default to source "old"."""
    sources = sources or {}
    drafts = tuple(
        OptionDraft(text, correct=i == correct,
                    source=None if i == correct else sources.get(i, "old"))
        for i, text in enumerate(options)
    )
    return ItemDraft(key="f-x-1", fact="f-x", kind=kind, stem=stem, options=drafts)


GOOD = item("From 1 September 2010, what is the Wi-Fi login credential?",
            "WiBro ID and password", "A separate Wi-Fi bundle ID", "The customer's mobile number")


def test_a_good_item_passes_every_gate():
    assert check_item(GOOD, lang="en") == []


@pytest.mark.parametrize(("text", "normal"), [
    ("  WiBro   50 GB ", "wibro 50gb"),
    ("50GB", "50gb"),
    ("₩33,000", "₩33000"),
    ("1,000 won", "1000won"),
    ("ＷｉＢｒｏ", "wibro"),  # full-width letters (NFKC)
    ("Straße", "strasse"),  # casefold
    ("3.5 GB", "3.5gb"),
    ("1,5 GB", "1,5gb"),  # a decimal comma is not a thousands separator
])
def test_normalise(text, normal):
    assert normalise(text) == normal


@pytest.mark.parametrize(("gate", "bad_item"), [
    ("option_count", item("Which plan?", "WiBro 50 GB")),
    ("option_count", item("WiBro 50 GB is eligible.", "True", "False", "Maybe", kind="true_false")),
    ("option_count", item("Which plan?", "WiBro 50 GB", " ")),
    ("distinct_options", item("Which plan?", "WiBro 50 GB", "wibro  50GB", "WiBro 10 GB")),
    ("distinct_options", item("What is the fee?", "₩1,000", "₩1000", "₩2,000")),
    ("one_correct", item("Which plan?", "WiBro 50 GB", "WiBro 10 GB", correct=-1)),
    ("key_not_in_stem", item("Is the WiBro 50 GB plan eligible?", "WiBro 50 GB", "WiBro 10 GB")),
    ("key_not_in_stem", item("Is the wibro 50GB plan eligible?", "WiBro 50 GB", "WiBro 10 GB")),
    ("comparable_lengths", item("Which credential?", "ID", "A separate bundle ID and PIN",
                                sources={1: "not"})),
    ("option_count", item("Which credential?", "ID", "PIN")),  # a choice item needs 3 options
    ("no_catch_all", item("Which plan?", "WiBro 50 GB", "All of the above", "WiBro 10 GB")),
    ("no_catch_all", item("Which plan?", "WiBro 50 GB", "none of these", "WiBro 10 GB")),
    ("no_catch_all", item("어느 요금제입니까?", "와이브로 50GB", "위 모두", "와이브로 10GB")),
    ("no_catch_all", item("어느 요금제입니까?", "와이브로 50GB", "해당 없음", "와이브로 10GB")),
    ("no_catch_all", item("어느 요금제입니까?", "와이브로 50GB", "모두", "와이브로 10GB")),
    ("option_sources", item("Which plan?", "WiBro 50 GB", "WiBro 10 GB", sources={1: "guess"})),
    ("cloze_blank", item("Customers on the WiBro plan log in.", "50 GB", "10 GB", kind="cloze")),
    ("cloze_blank", item("_____ customers log in with _____.", "50 GB", "10 GB", kind="cloze")),
])
def test_gate_rejects(gate, bad_item):
    assert GATES[gate](bad_item, "ko" if gate == "korean_particles" else "en")
    assert any(problem.startswith(f"{gate}:") for problem in check_item(bad_item, lang="en"))


@pytest.mark.parametrize(("gate", "good_item"), [
    ("option_count", item("The fee is ₩33,000.", "True", "False", kind="true_false")),
    ("distinct_options", item("Which plan?", "WiBro 50 GB", "WiBro 5 GB", "WiBro 500 GB")),
    ("key_not_in_stem", item("Is a bundle needed?", "No", "Yes")),  # "no" is not in "now"/"not"
    ("key_not_in_stem", item("From now on, is it not needed?", "No", "Yes")),
    ("key_not_in_stem", item("WiBro ID works now.", "True", "False", kind="true_false")),
    ("comparable_lengths", item("Is a bundle needed?", "No", "Yes, a bundle")),
    # the old value is never dropped for its length: the fact carries a warning instead
    ("comparable_lengths", item("Which credential?", "ID", "A separate bundle ID and PIN")),
    ("no_catch_all", item("어느 것이 맞습니까?", "와이브로와 와이파이 모두 가능",
                          "와이브로만 가능")),
    ("no_catch_all", item("Which one?", "Both plans", "Neither plan")),
    ("option_sources", item("Which plan?", "WiBro 50 GB", "WiBro 10 GB", sources={1: None})),
    ("cloze_blank", item("Customers on the _____ plan log in.", "50 GB", "10 GB", kind="cloze")),
])
def test_gate_accepts(gate, good_item):
    assert GATES[gate](good_item, "en") == []


@pytest.mark.parametrize(("texts", "comparable"), [
    (["No", "Yes"], True),
    (["ID", "123456789012345"], True),  # 15 <= 3 * 2 + 10
    (["ID", "1234567890123456x"], False),  # 17 > 16
    (["WiBro ID and password", "a separate Wi-Fi bundle ID"], True),
    ([], True),
])
def test_lengths_comparable_rule(texts, comparable):
    assert lengths_comparable(texts) is comparable


@pytest.mark.parametrize(("stem", "key", "found"), [
    ("Log in with the WiBro ID.", "WiBro ID", True),
    ("Log in with the WiBro IDs.", "WiBro ID", False),
    ("The fee is 1000 won.", "1,000 won", True),
    ("와이브로 아이디로 로그인합니다.", "와이브로 아이디", True),
    ("Is a bundle needed now?", "no", False),
    ("", "x", False),
    ("예정된 변경입니다.", "예", False),  # a short key must stand alone, in any script
    ("답은 예 입니다.", "예", True),
])
def test_contains_text(stem, key, found):
    assert contains_text(stem, key) is found


@pytest.mark.parametrize(("word", "batchim", "cls"), [
    ("아이디", False, "vowel"),
    ("수단", True, "consonant"),
    ("번들", True, "rieul"),
    ("요금제", False, "vowel"),
    ("비밀번호", False, "vowel"),
    ("와이브로 50GB", False, "vowel"),  # 오십 기가바이트
    ("30", False, "consonant"),  # a final digit is read as Korean reads it: 삼십
    ("114", False, "vowel"),  # 사
    ("080-300-7", False, "rieul"),  # 칠
    ("수단.", True, "consonant"),  # trailing punctuation ignored
    ("", False, None),
])
def test_batchim(word, batchim, cls):
    assert has_batchim(word) is batchim
    assert batchim_class(word) == cls


@pytest.mark.parametrize(("word", "particle", "form"), [
    ("아이디", "으로", "로"), ("수단", "로", "으로"), ("번들", "으로", "로"),
    ("아이디", "을", "를"), ("수단", "를", "을"), ("번들", "를", "을"),
    ("아이디", "이", "가"), ("수단", "가", "이"),
    ("아이디", "은", "는"), ("수단", "는", "은"),
    ("아이디", "과", "와"), ("수단", "와", "과"),
    ("50GB", "로", "로"), ("50GB", "를", "를"),  # 오십 기가바이트
    ("ID", "가", "가"), ("ID", "는", "는"), ("ID", "와", "와"),  # 아이디: read letter by letter
    ("PIN", "을", "을"), ("URL", "로", "로"),  # 핀 as a word; 유알엘 ends on ㄹ
])
def test_particle_for(word, particle, form):
    assert particle_for(word, particle) == form


@pytest.mark.parametrize(("stem", "fixed"), [
    ("고객은 _____로 로그인합니다.", "고객은 _____(으)로 로그인합니다."),
    ("고객은 _____으로 로그인합니다.", "고객은 _____(으)로 로그인합니다."),
    ("_____를 입력합니다.", "_____을(를) 입력합니다."),
    ("_____이 필요합니다.", "_____이(가) 필요합니다."),
    ("_____는 필요 없습니다.", "_____은(는) 필요 없습니다."),
    ("_____과 비밀번호", "_____와(과) 비밀번호"),
    ("_____와의 계약", "_____와(과)의 계약"),
    ("_____로는 안 됩니다.", "_____(으)로는 안 됩니다."),
    ("_____(으)로 로그인합니다.", "_____(으)로 로그인합니다."),  # already paired
    ("_____ 요금제 고객", "_____ 요금제 고객"),  # no particle
    ("_____이다.", "_____이다."),  # the copula is not a particle here
])
def test_fix_particles(stem, fixed):
    assert fix_particles(stem) == fixed


@pytest.mark.parametrize(("stem", "options", "ok"), [
    ("_____로 로그인합니다.", ["아이디", "비밀번호", "번들"], True),  # all take 로
    ("_____로 로그인합니다.", ["아이디", "수단"], False),  # 수단 takes 으로
    ("_____으로 로그인합니다.", ["수단", "계정"], True),
    ("_____를 입력합니다.", ["아이디", "번들"], False),  # 번들 takes 을
    ("_____를 입력합니다.", ["ID", "PIN"], False),  # unknown class: use the paired form
    ("_____을(를) 입력합니다.", ["아이디", "번들", "ID"], True),
    ("_____ 요금제", ["와이브로 50GB", "와이브로 10GB"], True),
])
def test_korean_particle_rule(stem, options, ok):
    assert (particle_problems(stem, options) == []) is ok
    korean = item(stem, *options, kind="cloze")
    assert (GATES["korean_particles"](korean, "ko") == []) is ok
    assert GATES["korean_particles"](korean, "en") == []  # English stems are not checked


def test_fixed_particles_always_pass():
    stem = fix_particles("고객은 _____를 입력합니다.")
    assert particle_problems(stem, ["아이디", "수단", "ID"]) == []
