"""No machine particle ("을(를)", "이(가)", ...) in any Korean message: a particle after a
value whose sound is unknown is avoided by the sentence's shape (a fixed noun before the
particle, or the value at the end), never printed in both forms."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from tests.unit.test_translations import CATALOGUE

MACHINE = re.compile(r"을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|"
                     r"\(으\)로|\((?:을|이|은|와|으)\)|(?:을|이|은|와)/(?:를|가|는|과)")


def test_no_korean_message_prints_both_forms_of_a_particle():
    with open(CATALOGUE / "messages.po", "rb") as fh:
        catalogue = read_po(fh, locale="ko")
    found = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, (tuple, list)) else (
            message.string,)
        found += [s for s in strings if s and MACHINE.search(s)]
    assert found == []


def test_the_pattern_finds_machine_particles():
    for text in ("버전 1을(를) 읽었습니다", "v2(으)로 대체됨", "팀이(가) 없습니다", "값은/는"):
        assert MACHINE.search(text), text
    for text in ("2번 버전을 읽었습니다", "시간 제한 없음(10분)", "오늘 남은 응시 2회"):
        assert not MACHINE.search(text), text
