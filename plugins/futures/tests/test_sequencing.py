"""The futures ``pu`` rule (FUTURES-API.md §5; UM-/CM-WEB "How to manage a local order book correctly"),
as a verdict table: snapshot or previous ``u``, the event, what the book must do."""

import pytest

from binance_core.orderbook.sequencing import APPLY, DROP, GAP
from binance_futures.sequencing import FUTURES_RULE

LAST_UPDATE_ID = 100

FIRST = [
    # step 3: drop buffered events older than the snapshot
    ({'U': 80, 'u': 90, 'pu': 79}, DROP),
    ({'U': 90, 'u': 99, 'pu': 89}, DROP),
    # step 4: the first applied event straddles lastUpdateId (U <= lastUpdateId <= u)
    ({'U': 90, 'u': 100, 'pu': 89}, APPLY),
    ({'U': 95, 'u': 105, 'pu': 94}, APPLY),
    ({'U': 100, 'u': 110, 'pu': 99}, APPLY),
    # an event that starts after the snapshot leaves a hole: fetch a new snapshot
    ({'U': 101, 'u': 110, 'pu': 100}, GAP),
    ({'U': 150, 'u': 160, 'pu': 149}, GAP),
]

PREV_U = 110

NEXT = [
    # step 5: each event's pu is the previous event's u
    ({'U': 111, 'u': 120, 'pu': 110}, APPLY),
    ({'U': 130, 'u': 140, 'pu': 110}, APPLY),  # gaps in U are normal on futures; only pu counts
    # a repeat of an event already applied changes nothing
    ({'U': 101, 'u': 110, 'pu': 100}, DROP),
    ({'U': 95, 'u': 105, 'pu': 94}, DROP),
    # anything else newer than the book: events were missed, re-initialise
    ({'U': 112, 'u': 120, 'pu': 111}, GAP),
    ({'U': 111, 'u': 120, 'pu': 109}, GAP),
]


@pytest.mark.parametrize(('event', 'verdict'), FIRST)
def test_first_event_after_the_snapshot(event, verdict):
    assert FUTURES_RULE.first(LAST_UPDATE_ID, event) is verdict


@pytest.mark.parametrize(('event', 'verdict'), NEXT)
def test_next_event_follows_the_pu_chain(event, verdict):
    assert FUTURES_RULE.next(PREV_U, event) is verdict


def test_the_rule_names_itself():
    assert FUTURES_RULE.name == 'futures' and repr(FUTURES_RULE) == 'FUTURES_RULE'
