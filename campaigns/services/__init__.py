"""Every write of campaigns, ideas, posts, media, approvals, comments, links and imports, one
module per topic. Each service is one transaction, takes the actor explicitly, checks the
permission matrix (agency.permissions) and records an audit event."""
