"""The trainer's bulletin page tells the author what to add so facts generate well (issue
14): a fact with only its old value as a wrong option gets no two-option choice item, and the
page names it and asks for not: values, in the reader's language."""

from __future__ import annotations

from app.services.content.bulletins import latest_version
from app.services.content.review import generation_advice
from tests.conftest import WIFI_BULLETIN

SLUG = "wibro50-wifi-login"
# the Wi-Fi bulletin with the login fact's not: values removed: the old value is its only
# known wrong value
LONE_OLD = WIFI_BULLETIN.replace(
    " (not: the mobile phone number and PIN; the customer's e-mail address)", "", 1)


def test_the_trainer_page_names_the_fact_that_needs_not_values(as_role, app):
    assert LONE_OLD != WIFI_BULLETIN
    client = as_role("trainer")
    saved = client.post("/trainer/bulletins/new", data={"source": LONE_OLD, "action": "save"})
    assert saved.status_code == 302
    with app.app_context():
        version = latest_version(SLUG)
        assert "f-login-1" not in {item.key for item in version.items}  # no 2-option item
        assert [a.message for a in generation_advice(version)] == [
            ("fact f-login: no choice item: 1 wrong value(s) of the value's kind are known and"
             " 2 are needed; add 1 more not: value(s) written like the value")]
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "What the author can add so these facts generate better items:" in page
    assert "fact f-login: no choice item" in page and "add 1 more not: value(s)" in page
    korean = client.get(f"/trainer/bulletins/{SLUG}",
                        headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert ("사실 f-login: 선택형 문항을 만들지 않았습니다. 값과 같은 종류로 알려진 오답은 1개이고 "
            "2개가 필요합니다. 값과 같은 형식으로 not: 값을 1개 더 쓰십시오") in korean


def test_a_bulletin_whose_facts_generate_well_gets_no_advice(as_role, app):
    client = as_role("trainer")
    assert client.post("/trainer/bulletins/new",
                       data={"source": WIFI_BULLETIN, "action": "save"}).status_code == 302
    with app.app_context():
        assert generation_advice(latest_version(SLUG)) == []
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "What the author can add" not in page
