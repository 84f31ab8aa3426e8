"""What the campaigns endpoints read and write."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agency.api.fields import InstantField, ObjectIdField, PersonEmailField
from agency.api.fields import ModelSerializer as RangeCheckedModelSerializer
from campaigns.api.scoping import VisibleBrandField
from campaigns.composer import MAX_DRAFT_CHARS, MAX_FIRST_COMMENT_CHARS
from campaigns.models import (
    CAMPAIGN_FIELDS,
    Campaign,
    Idea,
    MediaAsset,
    Post,
    PostComment,
    PostVariant,
    ShareLink,
    ShareLinkKind,
)
from campaigns.selectors.share_links import share_link_url


class CampaignSerializer(RangeCheckedModelSerializer):
    brand = VisibleBrandField()
    personas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    persona_ids = serializers.ListField(child=ObjectIdField(), write_only=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    kpi_targets = serializers.DictField(child=serializers.FloatField(min_value=0), required=False)

    class Meta:
        model = Campaign
        fields = ["id", "brand", *CAMPAIGN_FIELDS, "personas", "persona_ids", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []


class VariantSerializer(serializers.ModelSerializer):
    network = serializers.CharField(source="social_account.network", read_only=True)
    account = serializers.CharField(source="social_account.__str__", read_only=True)

    class Meta:
        model = PostVariant
        fields = [
            "id",
            "social_account",
            "network",
            "account",
            "text_override",
            "media_override_ids",
            "network_options",
            "state",
            "due_at",
            "attempt",
            "external_id",
            "external_url",
            "last_error",
            "published_at",
            "review",
            "reviewed_at",
            "reviewed_by_label",
        ]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    variants = VariantSerializer(many=True, read_only=True)
    author = PersonEmailField("author")
    time_zone = serializers.CharField(source="brand.time_zone", read_only=True)
    scheduled_at_local = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "brand",
            "campaign",
            "author",
            "title",
            "text",
            "link",
            "first_comment",
            "labels",
            "media_ids",
            "media_urls",
            "scheduled_at",
            "scheduled_at_local",
            "time_zone",
            "state",
            "review_stage",
            "held_at",
            "version",
            "variants",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_scheduled_at_local(self, post) -> str | None:
        """The scheduled time on the brand's wall clock, ISO 8601 with its offset."""
        return post.local_scheduled_at.isoformat() if post.scheduled_at else None


class CalendarSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    results = PostSerializer(many=True)


class IdeaSerializer(serializers.ModelSerializer):
    brand = VisibleBrandField()

    class Meta:
        model = Idea
        fields = [
            "id",
            "brand",
            "campaign",
            "kind",
            "title",
            "description",
            "status",
            "post",
            "created_at",
        ]
        read_only_fields = ["id", "status", "post", "created_at"]


class PostWriteSerializer(serializers.Serializer):
    brand = ObjectIdField(required=False, help_text="Brand id (on creation).")
    campaign = ObjectIdField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True, max_length=MAX_DRAFT_CHARS)
    link = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    first_comment = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_FIRST_COMMENT_CHARS
    )
    labels = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=30
    )
    media_ids = serializers.ListField(child=ObjectIdField(), required=False)
    accounts = serializers.ListField(
        child=ObjectIdField(), required=False, help_text="Social account ids."
    )
    overrides = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=MAX_DRAFT_CHARS),
        required=False,
        help_text="Text per account id, for the accounts whose text differs.",
    )
    media_overrides = serializers.DictField(
        child=serializers.ListField(child=ObjectIdField()),
        required=False,
        help_text="Media ids per account id, for the accounts whose media differ.",
    )
    network_options = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        help_text="Each network's publishing options per account id (a Pinterest board_id, "
        "a YouTube title...): the names its adapter declares, see docs/networks.md.",
    )
    scheduled_at = InstantField(
        required=False, allow_null=True, help_text="An instant, with its UTC offset."
    )

    @staticmethod
    def _keyed_by_account(value: dict) -> dict:
        if not all(str(key).isdigit() for key in value):
            raise serializers.ValidationError(
                _("The keys must be social account ids."), code="invalid_key"
            )
        return value

    def validate_overrides(self, value):
        return self._keyed_by_account(value)

    def validate_media_overrides(self, value):
        return self._keyed_by_account(value)

    def validate_network_options(self, value):
        return self._keyed_by_account(value)

    scheduled_at_local = InstantField(
        required=False,
        allow_null=True,
        default_timezone=dt.UTC,
        help_text="A wall-clock time in the brand's time zone, without offset.",
    )


class ScheduleSerializer(serializers.Serializer):
    scheduled_at = InstantField(required=False)


class ReviewInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class VariantDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=["approved", "changes_requested", "rejected"],
        help_text="approved, changes_requested (a comment is required) or rejected.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class BulkApproveInput(serializers.Serializer):
    posts = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=100
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class BulkOutcomeSerializer(serializers.Serializer):
    post = serializers.IntegerField(source="post_id")
    approved = serializers.BooleanField()
    state = serializers.CharField(help_text="The post's state once approved.")
    code = serializers.CharField(help_text="Why not: not_found, permission_denied or invalid.")
    message = serializers.CharField(help_text="Why not, in the agency's language.")


class CommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostComment
        fields = ["id", "author_label", "kind", "body", "visibility", "version", "created_at"]
        read_only_fields = ["id", "author_label", "kind", "version", "created_at"]
        extra_kwargs = {
            "visibility": {
                "required": False,
                "help_text": "internal (the agency's team only; the default for the team) or "
                "external (shared with the client). Client roles write external only.",
            }
        }


# What the upload found out about a media file: shown, never written through the API.
_FILE_FACTS = [
    "original_name",
    "kind",
    "mime_type",
    "size",
    "width",
    "height",
    "duration_seconds",
]


class MediaAssetSerializer(serializers.ModelSerializer):
    brand = VisibleBrandField()
    file = serializers.FileField(write_only=True, help_text="Image or video (multipart).")
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = MediaAsset
        fields = [
            "id",
            "brand",
            "file",
            "url",
            "thumbnail_url",
            *_FILE_FACTS,
            "alt_text",
            "created_at",
        ]
        read_only_fields = ["id", *_FILE_FACTS, "created_at"]

    def get_url(self, asset) -> str:
        return asset.file.url if asset.file else ""

    def get_thumbnail_url(self, asset) -> str:
        return asset.thumbnail.url if asset.thumbnail else ""


class ShareLinkSerializer(serializers.ModelSerializer):
    brand = VisibleBrandField()
    url = serializers.SerializerMethodField()
    valid_days = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=365
    )
    kind = serializers.ChoiceField(choices=ShareLinkKind.choices)

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "brand",
            "kind",
            "label",
            "url",
            "valid_days",
            "expires_at",
            "revoked_at",
            "created_at",
        ]
        read_only_fields = ["id", "url", "expires_at", "revoked_at", "created_at"]

    def get_url(self, link) -> str:
        return share_link_url(link)
