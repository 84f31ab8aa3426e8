"""The whole API fuzzed from its own OpenAPI schema (schemathesis): no server error, and no
response that the schema does not describe (status code, content type, body).

Part of `make test`, bounded so that it takes about half a minute: API_FUZZ_EXAMPLES examples
per operation (positive and negative inputs), then a stateful phase that chains operations
through the links schemathesis infers (create a brand, then read, edit, archive it …), for
API_FUZZ_SCENARIOS scenarios. The operations a key may never call (people, keys, webhooks) are
fuzzed as well, as the agency's owner signed in with a session. Run it alone with
`pytest agency/tests/test_api_fuzz.py`; raise the two numbers for a deeper run. Requests go
straight into Django's WSGI handler, inside the test's database transaction, authenticated with
a read_write API key of a seeded agency.
"""

import os

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
SCENARIOS = int(os.environ.get("API_FUZZ_SCENARIOS", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_SETTINGS = {
    "deadline": None,
    "derandomize": True,  # the same cases on every run: a failure here is reproducible
    "database": None,
    "suppress_health_check": list(HealthCheck),
}

_CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": EXAMPLES, "mode": "all", "deterministic": True},
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), config=_CONFIG)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes the database connection at the end of each request; Django's test client
    disconnects that for the test's transaction to survive, and so must a WSGI caller."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_headers(settings, db):
    """A seeded agency (brand, accounts, campaign, posts, listening, inbox) and its read_write
    key."""
    from agency.tests.factories import AgencyFactory, ApiKeyFactory, MembershipFactory
    from campaigns.tests.factories import CampaignFactory, PostFactory
    from clients.tests.factories import BrandFactory, PersonaFactory, SocialAccountFactory
    from engagement.tests.factories import ConversationFactory, LabelFactory, MessageFactory
    from reputation.tests.factories import ListeningQueryFactory, MentionFactory, SourceFactory

    # One fuzz test sends hundreds of requests with one key: not what the limits are for.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "off", "api_user": "off"},
    }
    agency = AgencyFactory(name="Fuzz Agency", slug="fuzz-agency")
    MembershipFactory(agency=agency, role="owner")
    brand = BrandFactory(agency=agency, name="Fuzz Brand", slug="fuzz-brand")
    PersonaFactory(agency=agency, brand=brand)
    account = SocialAccountFactory(agency=agency, brand=brand)
    conversation = ConversationFactory(agency=agency, brand=brand, social_account=account)
    MessageFactory(agency=agency, conversation=conversation)
    LabelFactory(agency=agency)
    campaign = CampaignFactory(agency=agency, brand=brand)
    PostFactory(agency=agency, brand=brand, campaign=campaign)
    query = ListeningQueryFactory(agency=agency, brand=brand)
    source = SourceFactory(agency=agency, brand=brand)
    MentionFactory(agency=agency, brand=brand, source=source)
    assert query.pk
    key = ApiKeyFactory(agency=agency, scope="read_write")
    return {"Authorization": f"Api-Key {key.secret}"}


@schema.parametrize()
@hypothesis.settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.generate], **_SETTINGS)
def test_api_operation_answers_within_its_schema(case, fuzz_headers):
    case.call_and_validate(headers=fuzz_headers, checks=CHECKS)


# What an API key may never do (manage people, keys and webhooks) fuzzed as the agency's owner,
# signed in with a session as the dashboard is (CSRF token included).
_OWNER_ONLY = r"/(members|invitations|api-keys|webhook-endpoints|webhook-deliveries)/"


@pytest.fixture
def owner_session(fuzz_headers):
    from django.test import Client

    from agency.models import Membership

    owner = Membership.unscoped.get(agency__slug="fuzz-agency", role="owner")
    client = Client()
    client.force_login(owner.user)
    session = client.session
    session["active_agency_id"] = owner.agency_id
    session.save()
    csrf = "c" * 32
    return {
        "headers": {"X-CSRFToken": csrf},
        "cookies": {"sessionid": session.session_key, "csrftoken": csrf},
    }


@schema.include(path_regex=_OWNER_ONLY).parametrize()
@hypothesis.settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.generate], **_SETTINGS)
def test_owner_only_operation_answers_within_its_schema(case, owner_session):
    case.call_and_validate(checks=CHECKS, **owner_session)


class _Workflow(schema.as_state_machine()):
    headers: dict = {}

    def setup(self):
        # Each scenario starts from the seeded data: what one created (a brand name now
        # taken) must not change what the next can do, or Hypothesis cannot replay it.
        self._scenario = transaction.atomic()
        self._scenario.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._scenario.__exit__(None, None, None)

    def get_call_kwargs(self, case):
        return {"headers": self.headers}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        case.validate_response(response, checks=CHECKS, headers=self.headers)


def test_api_workflows_answer_within_the_schema(fuzz_headers):
    _Workflow.headers = fuzz_headers
    _Workflow.run(
        settings=hypothesis.settings(
            max_examples=SCENARIOS,
            stateful_step_count=6,
            phases=[Phase.generate],
            **_SETTINGS,
        )
    )
