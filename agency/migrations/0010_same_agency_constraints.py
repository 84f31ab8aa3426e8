"""On PostgreSQL, membership -> brand access and invitation -> invitation brand keep one
agency (agency/same_agency.py)."""

from django.db import migrations

from agency.same_agency import parent_key, same_agency_fk


class Migration(migrations.Migration):
    dependencies = [
        ("agency", "0009_invitation_brand"),
        ("clients", "0003_same_agency_constraints"),
    ]

    operations = [
        parent_key("agency", "Membership"),
        parent_key("agency", "Invitation"),
        same_agency_fk("agency", "BrandAccess", "membership"),
        same_agency_fk("agency", "BrandAccess", "brand"),
        same_agency_fk("agency", "InvitationBrand", "invitation"),
        same_agency_fk("agency", "InvitationBrand", "brand"),
    ]
