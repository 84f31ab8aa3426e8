"""The brands' VIP and blocked authors through the API (/listed-authors/): the same writes as
the brand's "VIP and blocked authors" page (engagement.services.moderation.authors: validated,
audited, one list per author). Like the moderation rules, for the agency's team only: a client
role gets 403 everywhere, even to list; another agency's entry is a 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.pagination import CursorPagination
from clients.models import Brand
from engagement.models import AuthorList, BrandAuthor, handle_key
from engagement.services.moderation import authors, rules
from networks.registry import NETWORK_CHOICES


class ListedAuthorSerializer(serializers.ModelSerializer):
    brand = serializers.IntegerField(source="brand_id")
    list = serializers.ChoiceField(choices=AuthorList.choices)
    network = serializers.ChoiceField(choices=NETWORK_CHOICES)
    handle = serializers.CharField(
        max_length=authors.MAX_HANDLE_CHARS + 1,  # a leading "@" is allowed and dropped
        help_text='as on the network; a leading "@" and the case are ignored',
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=authors.MAX_NOTE_CHARS
    )

    class Meta:
        model = BrandAuthor
        fields = ["id", "brand", "list", "network", "handle", "note", "created_at"]
        read_only_fields = ["id", "created_at"]


class ListedAuthorPagination(CursorPagination):
    ordering = ("-created_at", "-id")


def _digits(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise ValidationError({name: _("Give a brand id.")})
    return int(value)


class ListedAuthorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """A brand's VIP and blocked authors (``?brand=`` one brand, ``?list=`` vip or blocked).
    Adding an author already on the brand's other list moves them (same id); removing is a
    DELETE."""

    model = BrandAuthor
    serializer_class = ListedAuthorSerializer
    pagination_class = ListedAuthorPagination
    filter_backends: list = []
    required_actions = {
        "list": permissions.INBOX_VIEW,
        "retrieve": permissions.INBOX_VIEW,
        "create": permissions.INBOX_MANAGE,
        "destroy": permissions.INBOX_MANAGE,
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        rules.require_team(request.actor)  # client roles: 403, even to list

    def scope_queryset(self, queryset):
        if self.action == "list":
            brand = _digits(self.request, "brand")
            if brand is not None:
                queryset = queryset.filter(brand_id=brand)
            list_ = self.request.query_params.get("list")
            if list_ is not None:
                if list_ not in AuthorList.values:
                    raise ValidationError({"list": _("Choose VIP or blocked.")})
                queryset = queryset.filter(list=list_)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("brand", int, description="only this brand's authors"),
            OpenApiParameter("list", str, enum=AuthorList.values, description="only this list"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ListedAuthorSerializer, 201: ListedAuthorSerializer})
    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        brand = Brand.objects.visible_to(request.actor).filter(pk=given["brand_id"]).first()
        if brand is None:
            raise ValidationError({"brand": _("Choose one of the agency's brands.")})
        listed = BrandAuthor.objects.filter(
            brand=brand, network=given["network"], handle=handle_key(given["handle"])
        ).exists()
        entry = authors.author_list_add(
            actor=request.actor,
            brand=brand,
            list_=given["list"],
            network=given["network"],
            handle=given["handle"],
            note=given.get("note", ""),
        )
        return Response(
            self.get_serializer(entry).data,
            status=status.HTTP_200_OK if listed else status.HTTP_201_CREATED,
        )

    def destroy(self, request, pk=None):
        authors.author_list_remove(actor=request.actor, entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
