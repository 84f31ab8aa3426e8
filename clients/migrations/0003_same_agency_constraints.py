"""On PostgreSQL, a brand's children keep the brand's agency (agency/same_agency.py)."""

from django.db import migrations

from agency.same_agency import parent_key, same_agency_fk


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_brand_profile_and_social_accounts")]

    operations = [
        parent_key("clients", "Brand"),
        parent_key("clients", "SocialAccount"),
        parent_key("clients", "Persona"),
        same_agency_fk("clients", "SocialAccount", "brand"),
        same_agency_fk("clients", "BrandGuidelines", "brand"),
        same_agency_fk("clients", "Persona", "brand"),
        same_agency_fk("clients", "Competitor", "brand"),
        same_agency_fk("clients", "ClientContact", "brand"),
    ]
