"""The audit log's one writer, and how an actor (a member, an API key or the system) is named."""

from agency.models import Agency, ApiKey, AuditEvent, Membership

Actor = Membership | ApiKey


def actor_label(actor: Actor | None) -> str:
    if isinstance(actor, Membership):
        # People are named as they are shown everywhere: full name, else e-mail.
        return actor.user.get_full_name()
    if isinstance(actor, ApiKey):
        return f"API key {actor.name} ({actor.prefix})"
    return "system"


def audit_record(
    *, agency: Agency, actor: Actor | None, verb: str, target=None, data: dict | None = None
) -> AuditEvent:
    """Append one audit event. Called inside the caller's transaction."""
    return AuditEvent.objects.create(
        agency=agency,
        actor=actor.user if isinstance(actor, Membership) else None,
        actor_label=actor_label(actor)[:200],
        verb=verb,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        data=data or {},
    )
