"""Every write to tenancy data, one module per topic. Each function is one transaction and
records an audit event (`audit.audit_record`, which every app's services call).

Services take the acting Membership (or ApiKey) explicitly; permission checks live here, so the
dashboard and the API cannot disagree. Callers import from the topic module:

* `audit`: the audit log's one writer, and how an actor is named in it;
* `agencies`: creating an agency and changing its settings (logo included);
* `members`: a member's role and brands, removing a member (an agency keeps an owner);
* `invitations`: inviting, resending, revoking, and accepting an invitation link;
* `api_keys`: creating, revoking and recording the use of API keys.
"""
