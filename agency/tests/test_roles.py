"""The role matrix: docs/roles.md and agency/permissions.py agree, and the API obeys both."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from agency import permissions
from agency.models import ApiKeyScope, Role
from agency.tests.factories import ApiKeyFactory, BrandAccessFactory, MembershipFactory

DOC = Path(settings.BASE_DIR) / "docs" / "roles.md"
COLUMNS = [*Role.values, "api_read", "api_read_write"]


def _documented_matrix() -> dict[str, set[str]]:
    text = DOC.read_text()
    table = text.split("<!-- matrix:start -->")[1].split("<!-- matrix:end -->")[0]
    allowed: dict[str, set[str]] = {column: set() for column in COLUMNS}
    for line in table.strip().splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        action = re.sub(r"`", "", cells[0])
        for column, cell in zip(COLUMNS, cells[1:], strict=True):
            if cell == "✓":
                allowed[column].add(action)
    return allowed


def _coded_matrix() -> dict[str, set[str]]:
    coded = {role: set(actions) for role, actions in permissions.ROLE_ACTIONS.items()}
    coded["api_read"] = set(permissions.API_KEY_SCOPE_ACTIONS[ApiKeyScope.READ])
    coded["api_read_write"] = set(permissions.API_KEY_SCOPE_ACTIONS[ApiKeyScope.READ_WRITE])
    return coded


def test_docs_roles_matrix_matches_the_permissions_module():
    assert _documented_matrix() == _coded_matrix()


def test_every_action_appears_in_the_documented_matrix():
    documented = set().union(*_documented_matrix().values())
    assert documented == set(permissions.ALL_ACTIONS)


def test_unknown_action_is_a_programming_error(member_of_a):
    with pytest.raises(ValueError):
        permissions.can(member_of_a, "brands.delete_everything")


def test_revoked_api_key_may_do_nothing(agency_a):
    from django.utils import timezone

    key = ApiKeyFactory(agency=agency_a, revoked_at=timezone.now())
    assert not any(permissions.can(key, action) for action in permissions.ALL_ACTIONS)


# --- The API obeys the matrix, action by action ----------------------------------------------


def _probe(action: str, *, agency, brand):
    """One request that needs exactly `action`: (method, path, payload)."""
    if action.startswith(("campaigns.", "posts.", "share_links.")):
        from campaigns.tests.probes import probe

        return probe(action, agency=agency, brand=brand)
    if action == permissions.MEMBERS_MANAGE:
        target = MembershipFactory(agency=agency, role=Role.COMMUNITY_MANAGER)
        return "patch", f"/api/v1/members/{target.pk}/", {"role": "analyst"}
    if action == permissions.SOCIAL_ACCOUNTS_MANAGE:
        from clients.tests.factories import SocialAccountFactory

        # Bluesky with no refresh token: disconnecting makes no network call.
        account = SocialAccountFactory(
            agency=agency, brand=brand, network="bluesky", refresh_token="", access_token=""
        )
        return "post", f"/api/v1/social-accounts/{account.pk}/disconnect/", None
    if action in (permissions.LISTENING_MANAGE, permissions.MENTIONS_TRIAGE):
        from reputation.tests.factories import MentionFactory

        if action == permissions.LISTENING_MANAGE:
            payload = {"brand": brand.pk, "name": "Marque", "expression": '"café tanger"'}
            return "post", "/api/v1/listening/queries/", payload
        mention = MentionFactory(agency=agency, brand=brand)
        return "post", f"/api/v1/listening/mentions/{mention.pk}/triage/", {"reviewed": True}
    if action == permissions.WEBHOOKS_MANAGE:
        return "get", "/api/v1/webhook-endpoints/", None
    if action in (permissions.CRISES_VIEW, permissions.CRISES_MANAGE):
        from reputation.tests.factories import CrisisIncidentFactory

        incident = CrisisIncidentFactory(agency=agency, brand=brand)
        if action == permissions.CRISES_VIEW:
            return "get", f"/api/v1/crisis-incidents/{incident.pk}/", None
        return "post", f"/api/v1/crisis-incidents/{incident.pk}/acknowledge/", None
    if action in INBOX_ACTIONS:
        from engagement.tests.factories import ConversationFactory

        conversation = ConversationFactory(agency=agency, brand=brand)
        if action == permissions.INBOX_VIEW:
            return "get", f"/api/v1/conversations/{conversation.pk}/", None
        return "post", f"/api/v1/conversations/{conversation.pk}/priority/", {"priority": 3}
    if action == permissions.INBOX_APPROVE_REPLIES:
        from engagement.tests.factories import ReplyApprovalFactory

        approval = ReplyApprovalFactory(agency=agency, conversation__brand=brand)
        return "post", f"/api/v1/reply-approvals/{approval.pk}/approve/", {}
    if action == permissions.BRANDS_EDIT_PROFILE:
        return "post", "/api/v1/personas/", {"brand": brand.pk, "name": "Jeunes urbains"}
    if action in (permissions.REPORTS_VIEW, permissions.REPORTS_MANAGE):
        from reports.tests.factories import ReportRunFactory

        run = ReportRunFactory(agency=agency, brand=brand)
        if action == permissions.REPORTS_VIEW:
            return "get", f"/api/v1/report-runs/{run.pk}/", None
        return "patch", f"/api/v1/report-templates/{run.template_id}/", {"commentary": "Bravo"}
    return {
        permissions.AGENCY_VIEW: ("get", "/api/v1/agency/", None),
        permissions.AGENCY_EDIT: ("patch", "/api/v1/agency/", {"name": "Atlas Renamed"}),
        permissions.MEMBERS_VIEW: ("get", "/api/v1/members/", None),
        permissions.INVITATIONS_MANAGE: (
            "post",
            "/api/v1/invitations/",
            {"email": "new.person@example.test", "role": "analyst"},
        ),
        permissions.BRANDS_VIEW: ("get", f"/api/v1/brands/{brand.pk}/", None),
        permissions.BRANDS_MANAGE: ("post", "/api/v1/brands/", {"name": "Nouvelle marque"}),
        permissions.API_KEYS_MANAGE: ("get", "/api/v1/api-keys/", None),
        permissions.AUDIT_VIEW: ("get", "/api/v1/audit-events/", None),
        permissions.LISTENING_VIEW: ("get", "/api/v1/listening/statistics/", None),
    }[action]


# The inbox's actions are checked on the API and, for people, on the dashboard page that needs
# exactly the action too (the page and the API must agree).
INBOX_ACTIONS = (permissions.INBOX_VIEW, permissions.INBOX_MANAGE)


def _check_on_the_dashboard(column, action, client, agency, brand):
    from django.urls import reverse

    from engagement.tests.factories import ConversationFactory

    allowed = action in _documented_matrix()[column]
    if action == permissions.INBOX_VIEW:
        response = client.get(reverse("dashboard:inbox"))
        assert response.status_code == (200 if allowed else 403), (column, action)
        return
    conversation = ConversationFactory(agency=agency, brand=brand)
    url = reverse("dashboard:conversation_priority", kwargs={"conversation_id": conversation.pk})
    response = client.post(url, {"priority": "3"})
    assert response.status_code == (302 if allowed else 403), (column, action)


def _actor(column: str, agency, brand):
    if column.startswith("api_"):
        scope = column.removeprefix("api_")
        return ApiKeyFactory(agency=agency, scope=scope)
    membership = MembershipFactory(agency=agency, role=column)
    if membership.is_client:
        BrandAccessFactory(membership=membership, agency=agency, brand=brand)
    return membership


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("action", permissions.ALL_ACTIONS)
def test_api_allows_and_refuses_each_action_as_documented(
    column, action, agency_a, brand_a, api_as
):
    actor = _actor(column, agency_a, brand_a)
    client = api_as(actor)
    if action in INBOX_ACTIONS and not column.startswith("api_"):
        _check_on_the_dashboard(column, action, client, agency_a, brand_a)
    method, path, payload = _probe(action, agency=agency_a, brand=brand_a)
    response = getattr(client, method)(path, payload, format="json")
    expected_allowed = action in _documented_matrix()[column]
    if expected_allowed:
        assert response.status_code < 300, (column, action, response.content)
    else:
        assert response.status_code == 403, (column, action, response.status_code)
        assert response.json()["error"]["code"] == "permission_denied"


def test_admin_cannot_make_someone_an_owner(admin_of_a, member_of_a, api_as):
    response = api_as(admin_of_a).patch(
        f"/api/v1/members/{member_of_a.pk}/", {"role": "owner"}, format="json"
    )
    assert response.status_code == 403
    member_of_a.refresh_from_db()
    assert member_of_a.role == Role.COMMUNITY_MANAGER


def test_the_last_owner_cannot_be_demoted(owner_of_a, api_as):
    response = api_as(owner_of_a).patch(
        f"/api/v1/members/{owner_of_a.pk}/",
        {"role": "admin"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "owner" in response.json()["error"]["fields"]["role"][0]
    owner_of_a.refresh_from_db()
    assert owner_of_a.role == Role.OWNER


def test_an_owner_can_hand_over_to_a_second_owner(owner_of_a, agency_a, api_as):
    second = MembershipFactory(agency=agency_a, role=Role.ADMIN)
    client = api_as(owner_of_a)
    promote = client.patch(f"/api/v1/members/{second.pk}/", {"role": "owner"}, format="json")
    assert promote.status_code == 200
    step_down = client.patch(f"/api/v1/members/{owner_of_a.pk}/", {"role": "admin"}, format="json")
    assert step_down.status_code == 200


def test_the_last_owner_cannot_be_removed(owner_of_a, api_as):
    response = api_as(owner_of_a).delete(f"/api/v1/members/{owner_of_a.pk}/")
    assert response.status_code == 400
    owner_of_a.refresh_from_db()


def test_client_viewer_cannot_see_other_brand(client_of_a, agency_a, api_as):
    from clients.tests.factories import BrandFactory

    other = BrandFactory(agency=agency_a, name="Autre marque")
    client = api_as(client_of_a)
    assert client.get(f"/api/v1/brands/{other.pk}/").status_code == 404
    names = [brand["name"] for brand in client.get("/api/v1/brands/").json()["results"]]
    assert names == ["Café Tanger"]
