"""Factories for the notification centre's models."""

import factory

from agency.tests.factories import AgencyFactory, TenantFactory, UserFactory
from notifications.models import Notification, NotificationPreference


class NotificationFactory(TenantFactory):
    class Meta:
        model = Notification

    agency = factory.SubFactory(AgencyFactory)
    recipient = factory.SubFactory(UserFactory)
    verb = "social_account.needs_reconnect"
    message = "Un compte doit être reconnecté."


class NotificationPreferenceFactory(TenantFactory):
    class Meta:
        model = NotificationPreference

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
