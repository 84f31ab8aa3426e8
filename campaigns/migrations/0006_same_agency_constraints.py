"""On PostgreSQL, campaign -> post -> variant (and their other children) keep one agency
(agency/same_agency.py)."""

from django.db import migrations

from agency.same_agency import parent_key, same_agency_fk


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_engine_models_to_publishing"),
        ("clients", "0003_same_agency_constraints"),
    ]

    operations = [
        parent_key("campaigns", "Campaign"),
        parent_key("campaigns", "Post"),
        parent_key("campaigns", "PostVariant"),
        same_agency_fk("campaigns", "Campaign", "brand"),
        same_agency_fk("campaigns", "CampaignPersona", "campaign"),
        same_agency_fk("campaigns", "CampaignPersona", "persona"),
        same_agency_fk("campaigns", "Idea", "brand"),
        same_agency_fk("campaigns", "MediaAsset", "brand"),
        same_agency_fk("campaigns", "Post", "brand"),
        same_agency_fk("campaigns", "Post", "campaign"),
        same_agency_fk("campaigns", "PostVariant", "post"),
        same_agency_fk("campaigns", "PostVariant", "social_account"),
        same_agency_fk("campaigns", "PostRevision", "post"),
        same_agency_fk("campaigns", "PostComment", "post"),
        same_agency_fk("campaigns", "PublishingPolicy", "brand"),
        same_agency_fk("campaigns", "ShareLink", "brand"),
        same_agency_fk("campaigns", "PostImport", "brand"),
    ]
