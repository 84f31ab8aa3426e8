import factory
from django.utils import timezone

from agency.tests.factories import AgencyFactory, TenantFactory
from clients.tests.factories import BrandFactory, SocialAccountFactory
from engagement.models import (
    BrandAuthor,
    Conversation,
    ConversationLabel,
    InternalNote,
    Label,
    Message,
    ModerationRule,
    OutboundAction,
    ReplyApproval,
    SavedReply,
)


class ConversationFactory(TenantFactory):
    class Meta:
        model = Conversation

    agency = factory.SubFactory(AgencyFactory)
    brand = factory.SubFactory(BrandFactory, agency=factory.SelfAttribute("..agency"))
    social_account = factory.SubFactory(
        SocialAccountFactory,
        agency=factory.SelfAttribute("..agency"),
        brand=factory.SelfAttribute("..brand"),
    )
    network = "mastodon"
    kind = "comment"
    thread_key = factory.Sequence(lambda n: f"90{n}")
    preview = factory.Sequence(lambda n: f"Commentaire {n}")
    last_message_at = factory.LazyFunction(timezone.now)
    last_inbound_at = factory.LazyFunction(timezone.now)


class MessageFactory(TenantFactory):
    class Meta:
        model = Message

    agency = factory.SubFactory(AgencyFactory)
    conversation = factory.SubFactory(ConversationFactory, agency=factory.SelfAttribute("..agency"))
    social_account = factory.SelfAttribute("conversation.social_account")
    kind = "comment"
    external_id = factory.Sequence(lambda n: f"80{n}")
    author_handle = "lecteur"
    sent_at = factory.LazyFunction(timezone.now)
    text = factory.Sequence(lambda n: f"Message {n}")


class LabelFactory(TenantFactory):
    class Meta:
        model = Label

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"étiquette {n}")


class InternalNoteFactory(TenantFactory):
    class Meta:
        model = InternalNote

    agency = factory.SubFactory(AgencyFactory)
    conversation = factory.SubFactory(ConversationFactory, agency=factory.SelfAttribute("..agency"))
    body = "Note de l'équipe : client fidèle."


class ConversationLabelFactory(TenantFactory):
    class Meta:
        model = ConversationLabel

    agency = factory.SubFactory(AgencyFactory)
    conversation = factory.SubFactory(ConversationFactory, agency=factory.SelfAttribute("..agency"))
    label = factory.SubFactory(LabelFactory, agency=factory.SelfAttribute("..agency"))


class OutboundActionFactory(TenantFactory):
    class Meta:
        model = OutboundAction

    agency = factory.SubFactory(AgencyFactory)
    conversation = factory.SubFactory(ConversationFactory, agency=factory.SelfAttribute("..agency"))
    kind = "reply"
    text = "Merci, nous regardons."
    state = "failed"
    idempotency_key = factory.Sequence(lambda n: f"click-{n}")


class ModerationRuleFactory(TenantFactory):
    class Meta:
        model = ModerationRule

    agency = factory.SubFactory(AgencyFactory)
    brand = factory.SubFactory(BrandFactory, agency=factory.SelfAttribute("..agency"))
    name = factory.Sequence(lambda n: f"Règle {n}")
    abuse_label = "insult"
    actions = factory.LazyFunction(lambda: ["hide"])


class BrandAuthorFactory(TenantFactory):
    class Meta:
        model = BrandAuthor

    agency = factory.SubFactory(AgencyFactory)
    brand = factory.SubFactory(BrandFactory, agency=factory.SelfAttribute("..agency"))
    list = "vip"
    network = "facebook"
    handle = factory.Sequence(lambda n: f"auteur{n}")


class SavedReplyFactory(TenantFactory):
    class Meta:
        model = SavedReply

    agency = factory.SubFactory(AgencyFactory)
    brand = factory.SubFactory(BrandFactory, agency=factory.SelfAttribute("..agency"))
    language = "fr"
    title = factory.Sequence(lambda n: f"Merci {n}")
    body = "Merci {author_first_name}, à bientôt chez {brand} !"


class ReplyApprovalFactory(TenantFactory):
    """A community manager's reply waiting for a manager, under the author's message."""

    class Meta:
        model = ReplyApproval

    agency = factory.SubFactory(AgencyFactory)
    conversation = factory.SubFactory(ConversationFactory, agency=factory.SelfAttribute("..agency"))
    target = factory.SubFactory(
        MessageFactory,
        agency=factory.SelfAttribute("..agency"),
        conversation=factory.SelfAttribute("..conversation"),
    )
    text = "Bonjour, nous regardons !"
    token = factory.Sequence(lambda n: f"approval-click-{n}")
    requested_label = "Community manager"
