"""Factories for every campaigns model: any object in one call, in the agency you give."""

import datetime as dt

import factory
from django.utils import timezone

from agency.tests.factories import AgencyFactory, TenantFactory, UserFactory
from campaigns.models import (
    Campaign,
    CampaignPersona,
    Idea,
    MediaAsset,
    Post,
    PostComment,
    PostImport,
    PostRevision,
    PostVariant,
    PublishingPolicy,
    ShareLink,
    VariantReview,
    VariantState,
)
from clients.tests.factories import BrandFactory, PersonaFactory, SocialAccountFactory

# The smallest valid PNG (1x1), for media rows that need a real file.
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class BrandOwnedFactory(TenantFactory):
    class Meta:
        abstract = True

    agency = factory.SubFactory(AgencyFactory)
    brand = factory.SubFactory(BrandFactory, agency=factory.SelfAttribute("..agency"))


class PublishingPolicyFactory(BrandOwnedFactory):
    class Meta:
        model = PublishingPolicy

    approval_mode = "internal_client"


class CampaignFactory(BrandOwnedFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campagne {n}")
    objective = "awareness"
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class CampaignPersonaFactory(TenantFactory):
    class Meta:
        model = CampaignPersona

    agency = factory.SubFactory(AgencyFactory)
    campaign = factory.SubFactory(CampaignFactory, agency=factory.SelfAttribute("..agency"))
    persona = factory.SubFactory(
        PersonaFactory,
        agency=factory.SelfAttribute("..agency"),
        brand=factory.SelfAttribute("..campaign.brand"),
    )


class IdeaFactory(BrandOwnedFactory):
    class Meta:
        model = Idea

    kind = "debate"
    title = factory.Sequence(lambda n: f"Idée {n}")


class MediaAssetFactory(BrandOwnedFactory):
    class Meta:
        model = MediaAsset

    file = factory.django.FileField(filename="pixel.png", data=PNG_1PX)
    original_name = "pixel.png"
    kind = "image"
    mime_type = "image/png"
    extension = ".png"
    size = len(PNG_1PX)
    width = 1
    height = 1


class PostFactory(BrandOwnedFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Publication {n}")
    text = "Bonjour Tanger ! Nouveau menu ce week-end."


APPROVED_POST_STATES = {
    "approved",
    "scheduled",
    "publishing",
    "published",
    "partly_published",
    "failed",
}


class PostVariantFactory(TenantFactory):
    class Meta:
        model = PostVariant

    agency = factory.SubFactory(AgencyFactory)
    post = factory.SubFactory(PostFactory, agency=factory.SelfAttribute("..agency"))
    social_account = factory.SubFactory(
        SocialAccountFactory,
        agency=factory.SelfAttribute("..agency"),
        brand=factory.SelfAttribute("..post.brand"),
    )
    state = VariantState.PENDING
    # Like migration 0009: a variant of an approved post, or one the engine holds, was approved.
    review = factory.LazyAttribute(
        lambda o: (
            VariantReview.APPROVED
            if o.post.state in APPROVED_POST_STATES
            or o.state not in (VariantState.PENDING, VariantState.CANCELLED)
            else VariantReview.PENDING
        )
    )


class PostRevisionFactory(TenantFactory):
    class Meta:
        model = PostRevision

    agency = factory.SubFactory(AgencyFactory)
    post = factory.SubFactory(PostFactory, agency=factory.SelfAttribute("..agency"))
    version = factory.Sequence(lambda n: n + 1)
    snapshot = factory.LazyFunction(lambda: {"text": "Bonjour"})


class PostCommentFactory(TenantFactory):
    class Meta:
        model = PostComment

    agency = factory.SubFactory(AgencyFactory)
    post = factory.SubFactory(PostFactory, agency=factory.SelfAttribute("..agency"))
    author = factory.SubFactory(UserFactory)
    author_label = "Équipe"
    body = "Très bien."


class ShareLinkFactory(BrandOwnedFactory):
    class Meta:
        model = ShareLink

    kind = "approval"
    label = "Direction marketing"
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class PostImportFactory(BrandOwnedFactory):
    class Meta:
        model = PostImport

    file_name = "posts.csv"
    rows = factory.LazyFunction(list)
