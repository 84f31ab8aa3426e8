"""The base class of every task that touches tenant data.

Tasks receive ids, never objects, and the agency id as the keyword argument ``agency_id``. The
task runs inside ``tenant_scope(agency_id)``; without an agency id it refuses to start, so a
task can never read tenant rows by accident.
"""

import logging

from celery import Task

from agency.tenancy import NoTenantError, tenant_scope

logger = logging.getLogger(__name__)


class TenantTask(Task):
    abstract = True

    def __call__(self, *args, **kwargs):
        agency_id = kwargs.get("agency_id")
        if agency_id is None:
            raise NoTenantError(f"Task {self.name} was called without agency_id.")
        with tenant_scope(agency_id):
            return super().__call__(*args, **kwargs)
