from tests.conftest import WIFI_BULLETIN
SRC = """---
id: plan-fees
title: Plan fees change
lang: en
effective: 2030-01-10
skills: [wibro]
gate: immediate
time_limit_minutes: 1
pass_mark: 50
critical: [f-fee]
---
From 10 January the ==monthly fee== is 30,000 won.

## Facts
- **Monthly fee** {#f-fee type=money}: 30,000 won (was: 25,000 won)
- **Cancellation notice** {#f-notice type=duration}: 14 days (was: 30 days)
- **Bundle needed** {#f-bundle type=bool}: no (was: yes)
- **Plan name** {#f-plan type=text}: WiBro Max (not: WiBro Mini; WiBro Lite)
"""
def test_scratch(org, client):
    for s in (SRC, WIFI_BULLETIN):
        h = org.headers("trainer@example.com")
        r = client.post("/api/v1/bulletins", json={"source": s}, headers=h)
        print(r.status_code)
        for i in r.json["items"]:
            print(i["id"], i["fact"], i["kind"], i["status"], len(i["options"]), repr(i["explanation"])[:60])
