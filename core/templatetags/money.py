"""{{ campaign.budget|money:campaign.currency }}: see core.money."""

from django import template

from core.money import money_display

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    return money_display(amount, currency)
