"""On PostgreSQL, every inbox row keeps the agency of what it points at: the brand, account,
post variant and author of a conversation, the conversation (and parent) of a message, note
and label link (agency/same_agency.py)."""

from django.db import migrations

from agency.same_agency import parent_key, same_agency_fk


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0001_initial"),
    ]

    operations = [
        # Authors had no key of their own yet: the inbox is the first to point at them so.
        parent_key("reputation", "Author"),
        parent_key("engagement", "Conversation"),
        parent_key("engagement", "Message"),
        parent_key("engagement", "Label"),
        same_agency_fk("engagement", "Conversation", "brand"),
        same_agency_fk("engagement", "Conversation", "social_account"),
        same_agency_fk("engagement", "Conversation", "post_variant"),
        same_agency_fk("engagement", "Conversation", "author"),
        same_agency_fk("engagement", "Message", "conversation"),
        same_agency_fk("engagement", "Message", "social_account"),
        same_agency_fk("engagement", "Message", "parent"),
        same_agency_fk("engagement", "Message", "author"),
        same_agency_fk("engagement", "InternalNote", "conversation"),
        same_agency_fk("engagement", "ConversationLabel", "conversation"),
        same_agency_fk("engagement", "ConversationLabel", "label"),
    ]
