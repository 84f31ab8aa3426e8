"""CSV imports of posts, previewed row by row before anything is created."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel


class PostImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Previewed")
    IMPORTED = "imported", _("Imported")


class PostImport(TenantModel):
    """An uploaded CSV of posts, checked row by row; nothing is created until confirmed."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    rows = models.JSONField(default=list)  # [{"line": n, "data": {...}, "errors": [...]}]
    status = models.CharField(
        max_length=20, choices=PostImportStatus.choices, default=PostImportStatus.PREVIEW
    )
    created_post_ids = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("post import")
        verbose_name_plural = _("post imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def error_rows(self) -> list[dict]:
        return [row for row in self.rows if row["errors"]]

    @property
    def valid_rows(self) -> list[dict]:
        return [row for row in self.rows if not row["errors"]]
