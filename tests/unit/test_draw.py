"""Drawing an attempt's items (rule 7): every fact covered, unseen items first, seeded."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest

from app.domain.draw import PoolItem, compose_attempt, draw_items, shuffle_options

FACTS = ("f-login", "f-bundle", "f-date", "f-plan")
# Items 1x are on f-login, 2x on f-bundle, 3x on f-date, 4x on f-plan.
POOL = tuple(
    PoolItem(item_id=10 * (n + 1) + k, fact=fact, kind="choice" if k else "true_false")
    for n, fact in enumerate(FACTS)
    for k in range(3)
)
FACT_OF = {item.item_id: item.fact for item in POOL}


def draw(pool=POOL, *, facts=FACTS, critical=(), seen=(), seed=7, per_fact=1):
    return draw_items(
        pool,
        facts=facts,
        critical=critical,
        seen=seen,
        rng=random.Random(seed),
        per_fact=per_fact,
    )


@pytest.mark.parametrize(
    ("kwargs", "expected_facts"),
    [
        pytest.param({}, Counter(FACTS), id="one-per-fact"),
        pytest.param({"per_fact": 2}, Counter(FACTS * 2), id="two-per-fact"),
        pytest.param({"per_fact": 5}, Counter(FACTS * 3), id="per-fact-beyond-pool"),
        pytest.param({"facts": ("f-date",)}, Counter({"f-date": 1}), id="only-listed-facts"),
        pytest.param(
            {"facts": ("f-date", "f-nothing")},
            Counter({"f-date": 1}),
            id="fact-without-items",
        ),
        pytest.param(
            {"facts": ("f-date", "f-date")},
            Counter({"f-date": 1}),
            id="duplicate-fact-once",
        ),
        pytest.param(
            {"facts": ("f-date",), "critical": ("f-login",)},
            Counter({"f-date": 1, "f-login": 1}),
            id="critical-covered-even-unlisted",
        ),
    ],
)
def test_draw_covers_facts(kwargs, expected_facts):
    drawn = draw(**kwargs)
    assert Counter(FACT_OF[i] for i in drawn) == expected_facts
    assert len(drawn) == len(set(drawn))


@pytest.mark.parametrize("seed", range(20))
def test_draw_prefers_unseen(seed):
    seen = {10, 11, 20, 21, 30, 31, 40}  # f-plan keeps two unseen items, the others one
    drawn = draw(seen=seen, seed=seed, per_fact=2)
    assert {i for i in drawn if FACT_OF[i] != "f-plan"} >= {12, 22, 32}
    assert not {i for i in drawn if FACT_OF[i] == "f-plan"} & seen


@pytest.mark.parametrize("seed", range(5))
def test_draw_falls_back_to_seen(seed):
    seen = {item.item_id for item in POOL}
    drawn = draw(seen=seen, seed=seed)
    assert sorted(FACT_OF[i] for i in drawn) == sorted(FACTS)


def test_draw_uses_the_whole_pool_across_seeds():
    picked = {i for seed in range(50) for i in draw(seed=seed)}
    assert picked == set(FACT_OF)


def test_draw_is_deterministic_for_a_seed_and_pool_order():
    first = draw(seed=42)
    assert draw(seed=42) == first
    assert draw(tuple(reversed(POOL)), seed=42) == first
    assert any(draw(seed=s) != first for s in range(43, 53))


def test_draw_shuffles_the_order():
    orders = {tuple(FACT_OF[i] for i in draw(seed=s)) for s in range(30)}
    assert len(orders) > 1


def test_duplicate_pool_entries_drawn_once():
    pool = (*POOL, *POOL)
    drawn = draw(pool, per_fact=3)
    assert sorted(drawn) == sorted(FACT_OF)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"critical": ("f-missing",)}, "f-missing", id="missing-critical"),
        pytest.param(
            {"critical": ("f-login", "f-zeta", "f-alpha")},
            "f-alpha, f-zeta",
            id="names-every-missing-critical",
        ),
        pytest.param({"pool": (), "critical": ("f-login",)}, "f-login", id="empty-pool"),
        pytest.param({"per_fact": 0}, "per_fact", id="zero-per-fact"),
    ],
)
def test_draw_rejects(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw(**kwargs)


def test_empty_pool_without_critical_draws_nothing():
    assert draw(()) == []


@pytest.mark.parametrize("seed", range(5))
def test_shuffle_options_is_a_seeded_permutation(seed):
    options = [101, 102, 103, 104]
    shuffled = shuffle_options(options, random.Random(seed))
    assert sorted(shuffled) == options
    assert options == [101, 102, 103, 104]  # input untouched
    assert shuffle_options(options, random.Random(seed)) == shuffled


def test_shuffle_options_varies_by_seed():
    orders = {tuple(shuffle_options((1, 2, 3, 4), random.Random(s))) for s in range(20)}
    assert len(orders) > 1


OPTIONS = {item.item_id: [100 * item.item_id + k for k in range(4)] for item in POOL}


@pytest.mark.parametrize("seed", [1, 7, 2026])
@pytest.mark.parametrize("seen", [(), (10, 20, 30)])
def test_compose_attempt_is_the_draw_then_each_items_options_shuffled(seed, seen):
    """One rng, in one order: the items, then each drawn item's options (what attempts and
    the trainer's preview both call)."""
    rng = random.Random(seed)
    expected = [(item_id, shuffle_options(OPTIONS[item_id], rng))
                for item_id in draw_items(POOL, facts=FACTS, critical=(), seen=seen, rng=rng)]
    got = compose_attempt(POOL, OPTIONS, facts=FACTS, critical=(), seen=seen,
                          rng=random.Random(seed))
    assert got == expected
    assert sorted(FACT_OF[item_id] for item_id, _ in got) == sorted(FACTS)
    assert all(sorted(order) == OPTIONS[item_id] for item_id, order in got)


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_an_ordered_items_options_keep_their_order_and_the_others_are_shuffled(seed):
    """Amounts and dates stand smallest first in every attempt (the item-writing rules'
    numerical order); the other items' options are shuffled as before."""
    ordered = [replace(item, ordered=item.item_id // 10 in (1, 3)) for item in POOL]
    got = dict(compose_attempt(ordered, OPTIONS, facts=FACTS, critical=(), seen=(),
                               rng=random.Random(seed)))
    kept = [i for i in got if i // 10 in (1, 3)]
    assert len(kept) == 2 and all(got[i] == OPTIONS[i] for i in kept)
    assert any(got[i] != OPTIONS[i] for i in got if i not in kept)
