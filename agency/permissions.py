"""Who may do what: one table, read by the dashboard, the API and the services alike.

The matrix is written out for people in docs/roles.md; a test keeps the two in step.
An actor is a Membership (a person in an agency) or an ApiKey (a machine of an agency).
"""

from django.core.exceptions import PermissionDenied

from agency.models import ApiKey, ApiKeyScope, Membership, Role

AGENCY_VIEW = "agency.view"
AGENCY_EDIT = "agency.edit"
MEMBERS_VIEW = "members.view"
MEMBERS_MANAGE = "members.manage"
INVITATIONS_MANAGE = "invitations.manage"
BRANDS_VIEW = "brands.view"
BRANDS_MANAGE = "brands.manage"
# A brand's profile (guidelines, audiences, competitors, contacts, logo): the people who speak
# for the brand every day edit it, not only those who create and archive brands.
BRANDS_EDIT_PROFILE = "brands.edit_profile"
# Connect and disconnect a brand's social accounts (a browser flow; API keys never do it).
SOCIAL_ACCOUNTS_MANAGE = "social_accounts.manage"
API_KEYS_MANAGE = "api_keys.manage"
AUDIT_VIEW = "audit.view"
LISTENING_VIEW = "listening.view"
LISTENING_MANAGE = "listening.manage"
MENTIONS_TRIAGE = "mentions.triage"
# Campaigns, posts and approvals (campaigns/; see docs/campaigns.md).
CAMPAIGNS_VIEW = "campaigns.view"
CAMPAIGNS_MANAGE = "campaigns.manage"
POSTS_WRITE = "posts.write"
POSTS_APPROVE = "posts.approve"
POSTS_CLIENT_APPROVE = "posts.client_approve"
POSTS_COMMENT = "posts.comment"
SHARE_LINKS_MANAGE = "share_links.manage"
# Webhook endpoints carry the agency's data out and hold signing secrets: administrators only,
# and never an API key (a leaked key must not be able to add a receiver of its own).
WEBHOOKS_MANAGE = "webhooks.manage"
# Crisis incidents: whoever follows a brand's listening sees them; the people who answer for
# the brand acknowledge, assign, annotate and resolve them, and tune the brand's rules.
CRISES_VIEW = "crises.view"
CRISES_MANAGE = "crises.manage"
# The inbox (engagement/): everyone reads it (client roles their brands', without the team's
# notes); the people who answer for the brands triage it.
INBOX_VIEW = "inbox.view"
INBOX_MANAGE = "inbox.manage"
# Deciding the replies that wait for a manager (a brand's replies_need_approval).
INBOX_APPROVE_REPLIES = "inbox.approve_replies"
# Client reports (reports/): everyone reads the runs of the brands they see and downloads
# them; the team makes templates and schedules and starts runs.
REPORTS_VIEW = "reports.view"
REPORTS_MANAGE = "reports.manage"

ALL_ACTIONS = (
    AGENCY_VIEW,
    AGENCY_EDIT,
    MEMBERS_VIEW,
    MEMBERS_MANAGE,
    INVITATIONS_MANAGE,
    BRANDS_VIEW,
    BRANDS_MANAGE,
    BRANDS_EDIT_PROFILE,
    SOCIAL_ACCOUNTS_MANAGE,
    API_KEYS_MANAGE,
    AUDIT_VIEW,
    LISTENING_VIEW,
    LISTENING_MANAGE,
    MENTIONS_TRIAGE,
    WEBHOOKS_MANAGE,
    CRISES_VIEW,
    CRISES_MANAGE,
    CAMPAIGNS_VIEW,
    CAMPAIGNS_MANAGE,
    POSTS_WRITE,
    POSTS_APPROVE,
    POSTS_CLIENT_APPROVE,
    POSTS_COMMENT,
    SHARE_LINKS_MANAGE,
    INBOX_VIEW,
    INBOX_MANAGE,
    INBOX_APPROVE_REPLIES,
    REPORTS_VIEW,
    REPORTS_MANAGE,
)

# Owners and administrators may do everything but the client's own stage of approval.
_ADMINISTRATION = set(ALL_ACTIONS) - {POSTS_CLIENT_APPROVE}
_LISTENING = {LISTENING_VIEW, LISTENING_MANAGE, MENTIONS_TRIAGE}
_CRISES = {CRISES_VIEW, CRISES_MANAGE}
# Planning and writing content; internal approval stays with account managers and above, and
# the client stage with client approvers (posts.client_approve).
_CONTENT = {CAMPAIGNS_VIEW, CAMPAIGNS_MANAGE, POSTS_WRITE, POSTS_COMMENT, SHARE_LINKS_MANAGE}
_INBOX = {INBOX_VIEW, INBOX_MANAGE}
_REPORTS = {REPORTS_VIEW, REPORTS_MANAGE}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(_ADMINISTRATION),
    Role.ADMIN: frozenset(_ADMINISTRATION),
    Role.MANAGER: frozenset(
        {
            AGENCY_VIEW,
            MEMBERS_VIEW,
            BRANDS_VIEW,
            BRANDS_MANAGE,
            BRANDS_EDIT_PROFILE,
            SOCIAL_ACCOUNTS_MANAGE,
            *_LISTENING,
            *_CRISES,
            *_CONTENT,
            *_INBOX,
            INBOX_APPROVE_REPLIES,
            POSTS_APPROVE,
            *_REPORTS,
        }
    ),
    Role.COMMUNITY_MANAGER: frozenset(
        {
            AGENCY_VIEW,
            BRANDS_VIEW,
            BRANDS_EDIT_PROFILE,
            SOCIAL_ACCOUNTS_MANAGE,
            *_LISTENING,
            *_CRISES,
            *_CONTENT,
            *_INBOX,
            *_REPORTS,
        }
    ),
    Role.ANALYST: frozenset(
        {
            AGENCY_VIEW,
            BRANDS_VIEW,
            LISTENING_VIEW,
            MENTIONS_TRIAGE,
            CRISES_VIEW,
            CAMPAIGNS_VIEW,
            POSTS_COMMENT,
            INBOX_VIEW,
            *_REPORTS,
        }
    ),
    # Client roles see brands too, but only those their BrandAccess rows name.
    Role.CLIENT_APPROVER: frozenset(
        {
            BRANDS_VIEW,
            LISTENING_VIEW,
            CRISES_VIEW,
            CAMPAIGNS_VIEW,
            POSTS_CLIENT_APPROVE,
            POSTS_COMMENT,
            INBOX_VIEW,
            REPORTS_VIEW,
        }
    ),
    Role.CLIENT_VIEWER: frozenset(
        {BRANDS_VIEW, LISTENING_VIEW, CRISES_VIEW, CAMPAIGNS_VIEW, INBOX_VIEW, REPORTS_VIEW}
    ),
}

# API keys never manage people or keys: a leaked key must not be able to mint another.
API_KEY_SCOPE_ACTIONS: dict[str, frozenset[str]] = {
    ApiKeyScope.READ: frozenset(
        {
            AGENCY_VIEW,
            MEMBERS_VIEW,
            BRANDS_VIEW,
            AUDIT_VIEW,
            LISTENING_VIEW,
            CRISES_VIEW,
            CAMPAIGNS_VIEW,
            INBOX_VIEW,
            REPORTS_VIEW,
        }
    ),
    ApiKeyScope.READ_WRITE: frozenset(
        {
            AGENCY_VIEW,
            MEMBERS_VIEW,
            BRANDS_VIEW,
            AUDIT_VIEW,
            BRANDS_MANAGE,
            BRANDS_EDIT_PROFILE,
            *_LISTENING,
            *_CRISES,
            CAMPAIGNS_VIEW,
            CAMPAIGNS_MANAGE,
            POSTS_WRITE,
            *_INBOX,
            *_REPORTS,
        }
    ),
}


def actions_for(actor: Membership | ApiKey | None) -> frozenset[str]:
    if isinstance(actor, Membership):
        return ROLE_ACTIONS.get(actor.role, frozenset())
    if isinstance(actor, ApiKey) and actor.is_active:
        return API_KEY_SCOPE_ACTIONS.get(actor.scope, frozenset())
    return frozenset()


def can(actor: Membership | ApiKey | None, action: str) -> bool:
    if action not in ALL_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    return action in actions_for(actor)


def require(actor: Membership | ApiKey | None, action: str) -> None:
    """Raise PermissionDenied unless the actor may perform the action."""
    if not can(actor, action):
        raise PermissionDenied(f"Not allowed: {action}")


def roles_grantable_by(actor: Membership) -> list[str]:
    """Only an owner can make someone an owner."""
    if not can(actor, MEMBERS_MANAGE):
        return []
    if actor.role == Role.OWNER:
        return list(Role.values)
    return [role for role in Role.values if role != Role.OWNER]
