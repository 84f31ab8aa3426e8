"""Money as people read it: the locale's grouping and decimals, then the currency code
(French: ``15 000,00 MAD``). Numbers meant for machines (CSV, JSON, attributes) never go
through here: they stay ``15000.00``."""

from decimal import Decimal

from django.utils.formats import number_format


def money_display(amount: Decimal | int | float | None, currency: str = "") -> str:
    """``amount`` with two decimals, grouped as the active language groups, and ``currency``;
    an empty string for no amount."""
    if amount is None:
        return ""
    number = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{number}\u00a0{currency}" if currency else number
