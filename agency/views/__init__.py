"""Dashboard views of the tenancy app, one module per page group; `common` holds what every
app's dashboard views share.

* `common`: the access decorators (`require_action`, `member_required`), a service's errors
  on a form (`attach_errors`), a page of a list (`paginate`), the session's agency and brand;
* `shell`: creating and switching agencies, the overview, the sections still to come;
* `agency_settings`: the agency's settings page;
* `members` and `invitations`: the team pages; `invitation_links`: the public page an
  invitation email links to;
* `api_keys`: creating, showing once and revoking keys; `audit`: the audit log.

Each view parses the request, calls one service (agency.services.*) or selector, and redirects
with a message or re-renders its form with the service's errors on the fields. Permissions come
from agency.permissions through `require_action`; objects are fetched with the `*_get_for`
selectors, which answer 404 for another agency's objects.
"""
