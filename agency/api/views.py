"""API endpoints of the tenancy app: the caller, the agency, members, invitations, keys, audit."""

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantAPIView, TenantViewSet
from agency.api.fields import ObjectIdField, PersonEmailField
from agency.datetimes import validate_supported_datetime
from agency.models import Agency, ApiKey, ApiKeyScope, AuditEvent, Invitation, Membership, Role
from agency.services import agencies, api_keys, invitations, members

# --- Serializers ----------------------------------------------------------------------------


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "slug",
            "time_zone",
            "language",
            "primary_colour",
            "accent_colour",
            "white_label",
            "report_font",
            "portal_domain",
            "require_two_factor",
            "created_at",
        ]
        read_only_fields = ["id", "slug", "created_at"]


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)
    brand_ids = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "brand_ids", "created_at"]

    def get_brand_ids(self, membership) -> list[int]:
        return sorted(access.brand_id for access in membership.brand_accesses.all())


class MembershipUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    brand_ids = serializers.ListField(child=ObjectIdField(), required=False)


class InvitationSerializer(serializers.ModelSerializer):
    brand_ids = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)
    invited_by = PersonEmailField("invited_by")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "brand_ids",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]

    def get_brand_ids(self, invitation) -> list[int]:
        return sorted(brand.pk for brand in invitation.brands.all())


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    brand_ids = serializers.ListField(child=ObjectIdField(), required=False)


class ApiKeySerializer(serializers.ModelSerializer):
    created_by = PersonEmailField("created_by")

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=ApiKeyScope.choices)


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="The full key. Shown once: store it now.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "actor_id",
            "actor_label",
            "verb",
            "target_type",
            "target_id",
            "target_label",
            "data",
            "created_at",
        ]


# --- The caller and the agency --------------------------------------------------------------


class MeView(TenantAPIView):
    """Who is calling: the agency, and the person or key with what they may do."""

    required_actions = {"get": permissions.BRANDS_VIEW}

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "agency": AgencySerializer(),
                "user": UserSerializer(allow_null=True),
                "role": serializers.CharField(allow_null=True),
                "api_key": serializers.DictField(allow_null=True),
                "allowed_actions": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request):
        actor = request.actor
        is_key = isinstance(actor, ApiKey)
        return Response(
            {
                "agency": AgencySerializer(actor.agency).data,
                "user": None if is_key else UserSerializer(actor.user).data,
                "role": None if is_key else actor.role,
                "api_key": {"name": actor.name, "scope": actor.scope} if is_key else None,
                "allowed_actions": sorted(permissions.actions_for(actor)),
            }
        )


class AgencyView(TenantAPIView):
    """The current agency's settings."""

    required_actions = {"get": permissions.AGENCY_VIEW, "patch": permissions.AGENCY_EDIT}

    @extend_schema(responses=AgencySerializer)
    def get(self, request):
        return Response(AgencySerializer(self.agency).data)

    @extend_schema(request=AgencySerializer, responses=AgencySerializer)
    def patch(self, request):
        serializer = AgencySerializer(self.agency, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        agency = agencies.agency_update(
            actor=request.actor, agency=self.agency, **serializer.validated_data
        )
        return Response(AgencySerializer(agency).data)


# --- Members --------------------------------------------------------------------------------


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Membership
    serializer_class = MembershipSerializer
    ordering = ("-created_at", "-id")
    filterset_fields = ["role"]
    required_actions = {
        "list": permissions.MEMBERS_VIEW,
        "retrieve": permissions.MEMBERS_VIEW,
        "partial_update": permissions.MEMBERS_MANAGE,
        "destroy": permissions.MEMBERS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("user").prefetch_related("brand_accesses")

    @extend_schema(request=MembershipUpdateSerializer, responses=MembershipSerializer)
    def partial_update(self, request, pk=None):
        membership = self.get_object()
        data = MembershipUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        members.membership_change_role(
            actor=request.actor,
            membership=membership,
            role=data.validated_data["role"],
            brand_ids=data.validated_data.get("brand_ids"),
        )
        return Response(MembershipSerializer(self.get_object()).data)

    def destroy(self, request, pk=None):
        members.membership_remove(actor=request.actor, membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Invitations ----------------------------------------------------------------------------


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Invitation
    serializer_class = InvitationSerializer
    required_actions = {
        "list": permissions.INVITATIONS_MANAGE,
        "retrieve": permissions.INVITATIONS_MANAGE,
        "create": permissions.INVITATIONS_MANAGE,
        "destroy": permissions.INVITATIONS_MANAGE,
        "resend": permissions.INVITATIONS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("invited_by").prefetch_related("brands")

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def create(self, request):
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _token = invitations.invitation_create(
            actor=request.actor, **data.validated_data
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(description="Withdraw a pending invitation; its link stops working.")
    def destroy(self, request, pk=None):
        invitations.invitation_revoke(actor=request.actor, invitation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invitation, _token = invitations.invitation_resend(
            actor=request.actor, invitation=self.get_object()
        )
        return Response(InvitationSerializer(invitation).data)


# --- API keys -------------------------------------------------------------------------------


class ApiKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = ApiKey
    serializer_class = ApiKeySerializer
    required_actions = {
        "list": permissions.API_KEYS_MANAGE,
        "retrieve": permissions.API_KEYS_MANAGE,
        "create": permissions.API_KEYS_MANAGE,
        "destroy": permissions.API_KEYS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("created_by")

    @extend_schema(request=ApiKeyCreateSerializer, responses={201: ApiKeyCreatedSerializer})
    def create(self, request):
        data = ApiKeyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, secret = api_keys.api_key_create(actor=request.actor, **data.validated_data)
        body = ApiKeySerializer(key).data | {"key": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(description="Revoke the key; requests using it are refused from now on.")
    def destroy(self, request, pk=None):
        api_keys.api_key_revoke(actor=request.actor, api_key=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Audit events ---------------------------------------------------------------------------


class AuditEventFilter(django_filters.FilterSet):
    verb = django_filters.CharFilter(lookup_expr="startswith")
    actor = django_filters.NumberFilter(field_name="actor_id")
    since = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", validators=[validate_supported_datetime]
    )
    until = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", validators=[validate_supported_datetime]
    )

    class Meta:
        model = AuditEvent
        fields = ["verb", "actor", "since", "until"]


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = AuditEvent
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    required_actions = {"list": permissions.AUDIT_VIEW, "retrieve": permissions.AUDIT_VIEW}
