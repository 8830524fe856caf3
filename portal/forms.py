"""How every form on the platform is drawn: label, input, then the message next to the field."""

from django.forms.renderers import TemplatesSetting


class ShenbaoFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
