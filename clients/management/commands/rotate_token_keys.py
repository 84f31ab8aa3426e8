"""Re-encrypt every stored network token and app secret with the first TOKEN_ENCRYPTION_KEYS key.

Rotation: put the new key first in TOKEN_ENCRYPTION_KEYS (keep the old ones after it), deploy,
run this command, then remove the old keys. Safe to run twice; never prints a token.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from clients.crypto import reencrypt
from clients.models import MastodonApp, SocialAccount


class Command(BaseCommand):
    help = "Re-encrypt every stored token with the first key of TOKEN_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        accounts = self._rotate(
            SocialAccount.unscoped, ["access_token_encrypted", "refresh_token_encrypted"]
        )
        apps = self._rotate(MastodonApp.objects, ["client_secret_encrypted"])
        self.stdout.write(
            self.style.SUCCESS(f"Re-encrypted {accounts} social account(s) and {apps} app(s).")
        )

    def _rotate(self, manager, columns: list[str], batch: int = 500) -> int:
        # Spans agencies on purpose: a key protects every agency's tokens.
        done = 0
        ids = list(manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            with transaction.atomic():
                rows = manager.select_for_update().filter(pk__in=ids[start : start + batch])
                for row in rows:
                    for column in columns:
                        setattr(row, column, reencrypt(getattr(row, column)))
                    row.save(update_fields=columns)
                    done += 1
        return done
