"""Brands through the API. Writes go through clients.services."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.fields import PersonEmailField
from agency.api.pagination import CursorPagination
from clients import selectors
from clients.models import (
    Brand,
    BrandGuidelines,
    ClientContact,
    Competitor,
    ContentLanguage,
    Persona,
    SocialAccount,
)
from clients.services import accounts, brands, profile


class BrandSerializer(serializers.ModelSerializer):
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=ContentLanguage.choices), required=False
    )
    slug = serializers.SlugField(max_length=60, required=False)

    class Meta:
        model = Brand
        fields = [
            "id",
            "name",
            "slug",
            "industry",
            "languages",
            "time_zone",
            "description",
            "logo",
            "created_at",
            "archived_at",
        ]
        read_only_fields = ["id", "logo", "created_at", "archived_at"]
        # Uniqueness is checked by the service, which knows the agency.
        validators = []


class HashtagSetSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    hashtags = serializers.ListField(child=serializers.CharField(max_length=101), max_length=200)


class GuidelinesSerializer(serializers.ModelSerializer):
    words_to_use = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=200
    )
    words_to_avoid = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=200
    )
    hashtag_sets = HashtagSetSerializer(many=True, required=False)
    signatures = serializers.ListField(
        child=serializers.CharField(max_length=280), required=False, max_length=20
    )
    # null until the guidelines are first saved (a new brand has none yet)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = BrandGuidelines
        fields = [
            "tone_of_voice",
            "words_to_use",
            "words_to_avoid",
            "hashtag_sets",
            "signatures",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class LogoSerializer(serializers.Serializer):
    logo = serializers.FileField(
        help_text="PNG, JPEG, WebP or GIF, at most 2 MB. Sent as multipart/form-data."
    )


class BrandViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Brand
    serializer_class = BrandSerializer
    ordering = ("name", "id")
    filterset_fields = ["industry"]
    required_actions = {
        "list": permissions.BRANDS_VIEW,
        "retrieve": permissions.BRANDS_VIEW,
        "create": permissions.BRANDS_MANAGE,
        "update": permissions.BRANDS_MANAGE,
        "partial_update": permissions.BRANDS_MANAGE,
        "archive": permissions.BRANDS_MANAGE,
        "restore": permissions.BRANDS_MANAGE,
        "guidelines": permissions.BRANDS_VIEW,
        "update_guidelines": permissions.BRANDS_EDIT_PROFILE,
        "logo": permissions.BRANDS_EDIT_PROFILE,
        "remove_logo": permissions.BRANDS_EDIT_PROFILE,
    }

    def scope_queryset(self, queryset):
        if self.action == "list" and self.request.query_params.get("archived") != "true":
            queryset = queryset.filter(archived_at=None)
        return queryset

    @extend_schema(request=BrandSerializer, responses={201: BrandSerializer})
    def create(self, request):
        data = BrandSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        brand = brands.brand_create(actor=request.actor, **data.validated_data)
        return Response(BrandSerializer(brand).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BrandSerializer, responses=BrandSerializer)
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    @extend_schema(request=BrandSerializer, responses=BrandSerializer)
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        brand = self.get_object()
        data = BrandSerializer(brand, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        brand = brands.brand_update(actor=request.actor, brand=brand, **data.validated_data)
        return Response(BrandSerializer(brand).data)

    @extend_schema(request=None, responses=BrandSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        brand = brands.brand_archive(actor=request.actor, brand=self.get_object())
        return Response(BrandSerializer(brand).data)

    @extend_schema(request=None, responses=BrandSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        brand = brands.brand_restore(actor=request.actor, brand=self.get_object())
        return Response(BrandSerializer(brand).data)

    @extend_schema(request=None, responses=GuidelinesSerializer)
    @action(detail=True, methods=["get"])
    def guidelines(self, request, pk=None):
        """How the brand speaks: tone, words to use and avoid, hashtag sets, signatures."""
        guidelines = selectors.brand_guidelines_of(brand=self.get_object())
        return Response(GuidelinesSerializer(guidelines).data)

    @extend_schema(request=GuidelinesSerializer, responses=GuidelinesSerializer)
    @guidelines.mapping.put
    def update_guidelines(self, request, pk=None):
        brand = self.get_object()
        data = GuidelinesSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "hashtag_sets" in fields:
            fields["hashtag_sets"] = [dict(entry) for entry in fields["hashtag_sets"]]
        guidelines = profile.brand_guidelines_update(actor=request.actor, brand=brand, **fields)
        return Response(GuidelinesSerializer(guidelines).data)

    @extend_schema(request=LogoSerializer, responses=BrandSerializer)
    @action(detail=True, methods=["put"], parser_classes=[MultiPartParser, FormParser])
    def logo(self, request, pk=None):
        """Replace the logo (multipart). A non-image or a file over 2 MB is refused."""
        brand = self.get_object()
        data = LogoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile.brand_logo_set(actor=request.actor, brand=brand, logo=data.validated_data["logo"])
        return Response(BrandSerializer(brand, context={"request": request}).data)

    @extend_schema(request=None, responses={200: BrandSerializer})  # the brand, not a 204
    @logo.mapping.delete
    def remove_logo(self, request, pk=None):
        brand = profile.brand_logo_remove(actor=request.actor, brand=self.get_object())
        return Response(BrandSerializer(brand, context={"request": request}).data)


# --- Brand profile: guidelines (on the brand), personas, competitors, contacts, logo --------


def _visible_brands_field(serializer) -> None:
    """Limit the writable `brand` field to brands the caller may see."""
    field = serializer.fields.get("brand")
    request = serializer.context.get("request")
    actor = getattr(request, "actor", None) if request else None
    if field is None or field.read_only:
        return
    if actor is None:
        field.queryset = Brand.objects.none()
    else:
        field.queryset = selectors.brands_visible_to(actor, include_archived=True)


class BrandChildSerializer(serializers.ModelSerializer):
    brand = serializers.PrimaryKeyRelatedField(queryset=Brand.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["brand"].read_only = True  # an object never moves to another brand
        _visible_brands_field(self)


class PersonaSerializer(BrandChildSerializer):
    interests = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=200
    )

    class Meta:
        model = Persona
        fields = [
            "id",
            "brand",
            "name",
            "language",
            "age_min",
            "age_max",
            "interests",
            "description",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators = []  # uniqueness and the age range are checked by the service


class CompetitorSerializer(BrandChildSerializer):
    handles = serializers.DictField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text='Handle per network, e.g. {"instagram": "@rival", "x": "rival"}.',
    )
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=200
    )

    class Meta:
        model = Competitor
        fields = ["id", "brand", "name", "website", "handles", "keywords", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []


class ClientContactSerializer(BrandChildSerializer):
    class Meta:
        model = ClientContact
        fields = ["id", "brand", "name", "email", "phone", "role", "is_approver", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []


class BrandChildViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """CRUD of one kind of brand profile row; `?brand=ID` filters. Writes go to services."""

    filterset_fields = ["brand"]
    required_actions = {
        "list": permissions.BRANDS_VIEW,
        "retrieve": permissions.BRANDS_VIEW,
        "create": permissions.BRANDS_EDIT_PROFILE,
        "update": permissions.BRANDS_EDIT_PROFILE,
        "partial_update": permissions.BRANDS_EDIT_PROFILE,
        "destroy": permissions.BRANDS_EDIT_PROFILE,
    }
    service_name = ""  # "persona" -> profile.persona_create / _update / _delete

    def _service(self, verb: str):
        return getattr(profile, f"{self.service_name}_{verb}")

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        brand = fields.pop("brand")
        created = self._service("create")(actor=request.actor, brand=brand, **fields)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        return self._update(request, partial=False)

    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        instance = self.get_object()
        data = self.get_serializer(instance, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("brand", None)
        updated = self._service("update")(
            actor=request.actor, **{self.service_name: instance}, **fields
        )
        return Response(self.get_serializer(updated).data)

    def destroy(self, request, pk=None):
        instance = self.get_object()
        self._service("delete")(actor=request.actor, **{self.service_name: instance})
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Target audiences (personas); filter with ?brand=ID"),
)
class PersonaViewSet(BrandChildViewSet):
    model = Persona
    serializer_class = PersonaSerializer
    service_name = "persona"


@extend_schema_view(list=extend_schema(summary="Competitors; filter with ?brand=ID"))
class CompetitorViewSet(BrandChildViewSet):
    model = Competitor
    serializer_class = CompetitorSerializer
    service_name = "competitor"


@extend_schema_view(list=extend_schema(summary="Client contacts; filter with ?brand=ID"))
class ClientContactViewSet(BrandChildViewSet):
    model = ClientContact
    serializer_class = ClientContactSerializer
    service_name = "client_contact"


# --- Connected social accounts (read, and disconnect; connecting is a browser flow) --------


class SocialAccountSerializer(serializers.ModelSerializer):
    """Never any token: only what the account is and how it is doing."""

    connected_by = PersonEmailField("connected_by")

    class Meta:
        model = SocialAccount
        fields = [
            "id",
            "brand",
            "network",
            "external_id",
            "handle",
            "display_name",
            "avatar_url",
            "scopes",
            "status",
            "expires_at",
            "last_error",
            "last_error_at",
            "instance_url",
            "connected_by",
            "connected_at",
        ]
        read_only_fields = fields


class SocialAccountPagination(CursorPagination):
    ordering = ("-connected_at", "-id")


class SocialAccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = SocialAccount
    serializer_class = SocialAccountSerializer
    pagination_class = SocialAccountPagination
    filterset_fields = ["brand", "network", "status"]
    required_actions = {
        "list": permissions.BRANDS_VIEW,
        "retrieve": permissions.BRANDS_VIEW,
        "disconnect": permissions.SOCIAL_ACCOUNTS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("connected_by")

    @extend_schema(request=None, responses=SocialAccountSerializer)
    @action(detail=True, methods=["post"])
    def disconnect(self, request, pk=None):
        """Revoke at the network where possible, wipe the tokens, mark the account revoked."""
        account = self.get_object()
        accounts.social_account_disconnect(actor=request.actor, social_account=account)
        return Response(SocialAccountSerializer(account).data)
