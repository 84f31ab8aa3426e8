"""Template helpers for the dashboard: Bootstrap form fields, without a form library."""

from django import forms, template

from agency.audit_verbs import audit_verb_label

register = template.Library()


@register.filter
def widget_kind(field) -> str:
    """How a bound field is drawn: checkbox, checkboxes, select, color, file or input."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if getattr(widget, "input_type", None) == "color":
        return "color"
    return "input"


_CSS = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "color": "form-control form-control-color",
}


@register.filter
def as_bootstrap(field):
    """The field's widget with Bootstrap classes, marked invalid and described when needed."""
    css = _CSS.get(widget_kind(field), "form-control")
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("includes/field.html")
def field(bound_field, empty_text=""):
    """{% field form.name %}: label, widget, help text and errors of one field."""
    return {"field": bound_field, "kind": widget_kind(bound_field), "empty_text": empty_text}


@register.filter
def audit_verb(verb: str) -> str:
    """`brand.created` as people read it ("Marque créée"); see agency.audit_verbs."""
    return audit_verb_label(verb)
