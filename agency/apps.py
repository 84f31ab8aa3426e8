from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = _("Agencies")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from agency import rls

        # Row-level security (agency/rls.py): every PostgreSQL statement carries its tenant.
        connection_created.connect(rls.install, dispatch_uid="agency.rls.install")
        pre_migrate.connect(rls.migrating_starts, sender=self, dispatch_uid="agency.rls.pre")
        post_migrate.connect(rls.migrating_ends, sender=self, dispatch_uid="agency.rls.post")
