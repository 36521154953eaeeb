"""The SQL form of SCIM filters agrees with scim2-models' own in-memory evaluation.

Users with varied attributes are provisioned; for each filter, the ids the SQL WHERE clause
selects must equal the ids whose SCIM representation ``ScimFilter.match`` accepts (the rule
as the library states it). Listing a page runs a bounded number of statements.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from scim2_models import ScimFilter

from app.domain.provisioning import Person
from app.models import utcnow
from app.scim.resources import UserResource, user_resource
from app.services.accounts import provisioning
from tests.web.manager_support import counting_statements
from tests.web.scim_support import Scim

FILTERS = [
    'userName eq "user07@example.com"', 'userName ne "user07@example.com"',
    'userName co "3"', 'userName sw "USER1"', 'userName ew "9@example.com"',
    'userName gt "user20"', 'userName le "user05@example.com"',
    'displayName co "kim"', 'displayName eq "PARK 12"', "displayName pr",
    'externalId eq "X-4"', 'externalId sw "X-1"', "externalId pr", "not (externalId pr)",
    'externalId ne "X-2"', "active eq true", "active ne true", "active eq false",
    'emails.value ew "@example.com"', 'emails[type eq "work" and value co "user2"]',
    'emails.type eq "work"',
    'urn:onevoice:params:scim:schemas:extension:2.0:User:role eq "trainer"',
    'urn:onevoice:params:scim:schemas:extension:2.0:User:role ne "agent"',
    'active eq false or (displayName sw "Lee" and not (externalId pr))',
    'meta.lastModified gt "{mid}"', 'meta.lastModified le "{mid}"',
    'meta.created lt "{late}" and userName co "1"',
]


def _people(count: int = 24) -> list[Person]:
    pick = random.Random(7)
    names = ["Kim", "Park", "Lee", "Choi"]
    people = []
    for n in range(count):
        people.append(Person(
            user_name=f"user{n:02d}@example.com", email=f"user{n:02d}@example.com",
            name=f"{pick.choice(names)} {n}",
            external_id=f"X-{n}" if pick.random() < 0.6 else None,
            active=pick.random() < 0.7, role=pick.choice(["agent", "agent", "trainer"]),
            skills=tuple(sorted(pick.sample(["wifi", "wired", "wibro"], pick.randint(0, 2))))))
    return people


@pytest.fixture
def provisioned(app, org):
    start = utcnow()
    with app.app_context():
        people = _people()
        for index, person in enumerate(people):
            provisioning.create_person(person, at=start + timedelta(seconds=index))
    return start


def _match(filter_text: str, base: str) -> tuple[set[int], set[int]]:
    parsed = ScimFilter[UserResource](filter_text)
    _, every = provisioning.list_people(None, 1, 1000)
    by_library = {u.id for u in every if parsed.match(user_resource(u, base))}
    _, by_sql = provisioning.list_people(parsed, 1, 1000)
    return by_library, {u.id for u in by_sql}


@pytest.mark.parametrize("template", FILTERS)
def test_sql_agrees_with_the_library(app, provisioned, template):
    mid = (provisioned + timedelta(seconds=12)).isoformat()
    late = (provisioned + timedelta(days=1)).isoformat()
    with app.test_request_context(), app.app_context():
        # The org fixture's people were written before ``provisioned``: both sides see them.
        by_library, by_sql = _match(template.format(mid=mid, late=late), "http://x/scim/v2")
    assert by_sql == by_library


def test_listing_a_page_runs_a_bounded_number_of_statements(app, org, client, provisioned):
    scim = Scim(client, org)
    scim.get("/Users?count=1")  # the token's first use is recorded once
    counts = []
    for size in (2, 24):
        with counting_statements(app) as statements:
            body = scim.get(f"/Users?count={size}").get_json(force=True)
        assert len(body["Resources"]) == size
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 8, counts
