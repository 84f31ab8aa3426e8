"""The delivery state machine: the moves the services make are allowed, the others raise."""

import pytest

from webhooks.states import IllegalDeliveryMove, WebhookDeliveryState, check_move, delivery_move
from webhooks.tests.factories import WebhookDeliveryFactory

State = WebhookDeliveryState


@pytest.mark.parametrize("start", [State.PENDING, State.FAILED])
@pytest.mark.parametrize("target", [State.SUCCEEDED, State.FAILED, State.DEAD])
def test_a_delivery_still_being_sent_may_succeed_fail_again_or_die(start, target):
    check_move(start, target)


@pytest.mark.parametrize("start", [State.SUCCEEDED, State.DEAD])
@pytest.mark.parametrize("target", list(State))
def test_a_delivered_or_dead_delivery_never_moves_again(start, target):
    with pytest.raises(IllegalDeliveryMove):
        check_move(start, target)


def test_nothing_goes_back_to_pending():
    for start in State:
        with pytest.raises(IllegalDeliveryMove):
            check_move(start, State.PENDING)


def test_an_illegal_move_leaves_the_delivery_as_it_was(agency_a):
    delivery = WebhookDeliveryFactory(agency=agency_a, state=State.SUCCEEDED)
    with pytest.raises(IllegalDeliveryMove):
        delivery_move(delivery, State.FAILED)
    assert delivery.state == State.SUCCEEDED
