"""Campaigns and ideas (an idea converts into a draft post)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from campaigns.api.serializers import CampaignSerializer, IdeaSerializer, PostSerializer
from campaigns.models import Campaign, Idea
from campaigns.selectors.posts import post_get_for
from campaigns.services.planning import (
    campaign_create,
    campaign_delete,
    campaign_update,
    idea_convert,
    idea_create,
    idea_delete,
)


@extend_schema_view(list=extend_schema(summary="Campaigns; filter with ?brand=ID&status="))
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Campaign
    serializer_class = CampaignSerializer
    filterset_fields = ["brand", "status", "objective"]
    required_actions = {
        "list": permissions.CAMPAIGNS_VIEW,
        "retrieve": permissions.CAMPAIGNS_VIEW,
        "create": permissions.CAMPAIGNS_MANAGE,
        "partial_update": permissions.CAMPAIGNS_MANAGE,
        "destroy": permissions.CAMPAIGNS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("brand").prefetch_related("personas")

    def _personas(self, brand, ids):
        if ids is None:
            return None
        from clients.models import Persona

        found = list(Persona.objects.filter(brand=brand, pk__in=ids))
        if len(found) != len(set(ids)):
            raise exceptions.ValidationError({"persona_ids": [_("Choose audiences of the brand.")]})
        return found

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        brand = fields.pop("brand")
        personas = self._personas(brand, fields.pop("persona_ids", None))
        campaign = campaign_create(actor=request.actor, brand=brand, personas=personas, **fields)
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        campaign = self.get_object()
        data = self.get_serializer(campaign, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("brand", None)
        personas = self._personas(campaign.brand, fields.pop("persona_ids", None))
        campaign = campaign_update(
            actor=request.actor, campaign=campaign, personas=personas, **fields
        )
        return Response(self.get_serializer(campaign).data)

    def destroy(self, request, pk=None):
        campaign_delete(actor=request.actor, campaign=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class IdeaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Idea
    serializer_class = IdeaSerializer
    filterset_fields = ["brand", "status", "kind"]
    required_actions = {
        "list": permissions.CAMPAIGNS_VIEW,
        "retrieve": permissions.CAMPAIGNS_VIEW,
        "create": permissions.CAMPAIGNS_MANAGE,
        "destroy": permissions.CAMPAIGNS_MANAGE,
        "convert": permissions.POSTS_WRITE,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("brand")

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        idea = idea_create(actor=request.actor, **fields)
        return Response(self.get_serializer(idea).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        idea_delete(actor=request.actor, idea=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={201: PostSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Turn the idea into a draft post."""
        post = idea_convert(actor=request.actor, idea=self.get_object())
        post = post_get_for(actor=request.actor, post_id=post.pk)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)
