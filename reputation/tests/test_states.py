"""The state machines of incidents and OPML imports: every allowed move, an illegal one raises."""

import pytest
from django.core.exceptions import ValidationError

from reputation.models.crises import CrisisState
from reputation.models.sources import SourceImportState
from reputation.services.source_imports import source_import_give_up
from reputation.states import CRISIS_INCIDENT, SOURCE_IMPORT, IllegalTransition
from reputation.tests.factories import SourceImportFactory


def test_an_incident_is_acknowledged_then_resolved_and_never_reopened():
    CRISIS_INCIDENT.require(CrisisState.OPEN, CrisisState.ACKNOWLEDGED)
    CRISIS_INCIDENT.require(CrisisState.OPEN, CrisisState.RESOLVED)
    CRISIS_INCIDENT.require(CrisisState.ACKNOWLEDGED, CrisisState.RESOLVED)
    for current, to in [
        (CrisisState.RESOLVED, CrisisState.OPEN),
        (CrisisState.RESOLVED, CrisisState.ACKNOWLEDGED),
        (CrisisState.ACKNOWLEDGED, CrisisState.OPEN),
        (CrisisState.ACKNOWLEDGED, CrisisState.ACKNOWLEDGED),
    ]:
        with pytest.raises(IllegalTransition):
            CRISIS_INCIDENT.require(current, to)


def test_an_illegal_move_is_a_validation_error_that_names_both_states():
    with pytest.raises(ValidationError) as error:
        CRISIS_INCIDENT.require(CrisisState.RESOLVED, CrisisState.ACKNOWLEDGED)
    message = error.value.messages[0]
    assert str(CrisisState.RESOLVED.label) in message
    assert str(CrisisState.ACKNOWLEDGED.label) in message


def test_an_import_is_claimed_only_from_queued_and_finishes_once():
    assert SOURCE_IMPORT.filter_from(SourceImportState.CHECKING) == {"state__in": ["queued"]}
    assert SOURCE_IMPORT.filter_from(SourceImportState.FAILED) == {
        "state__in": ["checking", "queued"]
    }
    for finished in (SourceImportState.DONE, SourceImportState.FAILED):
        for to in SourceImportState.values:
            assert not SOURCE_IMPORT.allows(finished, to)


def test_giving_up_a_finished_import_changes_nothing(in_agency_a):
    job = SourceImportFactory(agency=in_agency_a, state=SourceImportState.DONE)
    source_import_give_up(source_import_id=job.pk)
    job.refresh_from_db()
    assert job.state == SourceImportState.DONE
