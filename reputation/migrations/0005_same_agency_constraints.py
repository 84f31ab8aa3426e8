"""On PostgreSQL, brand -> query/mention -> match and incident -> events keep one agency
(agency/same_agency.py)."""

from django.db import migrations

from agency.same_agency import parent_key, same_agency_fk


class Migration(migrations.Migration):
    dependencies = [
        ("reputation", "0004_source_import"),
        ("clients", "0003_same_agency_constraints"),
    ]

    operations = [
        parent_key("reputation", "ListeningQuery"),
        parent_key("reputation", "Source"),
        parent_key("reputation", "Mention"),
        parent_key("reputation", "CrisisIncident"),
        same_agency_fk("reputation", "ListeningQuery", "brand"),
        same_agency_fk("reputation", "Source", "brand"),
        same_agency_fk("reputation", "Mention", "brand"),
        same_agency_fk("reputation", "Mention", "source"),
        same_agency_fk("reputation", "MentionMatch", "mention"),
        same_agency_fk("reputation", "MentionMatch", "query"),
        same_agency_fk("reputation", "SentimentCorrection", "mention"),
        same_agency_fk("reputation", "MentionRollup", "brand"),
        same_agency_fk("reputation", "CrisisRule", "brand"),
        same_agency_fk("reputation", "CrisisIncident", "brand"),
        same_agency_fk("reputation", "CrisisIncidentMention", "incident"),
        same_agency_fk("reputation", "CrisisIncidentMention", "mention"),
        same_agency_fk("reputation", "IncidentEvent", "incident"),
    ]
