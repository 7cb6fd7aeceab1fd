"""How every form on the site is drawn."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's form rendering, with our template for a field (templates/forms/field.html).

    `{{ form }}` draws each field with it, in our pages and allauth's alike. Built on
    TemplatesSetting so that the template can live in the project's templates/ (Django's
    widget templates come from the `django.forms` app).
    """

    field_template_name = "forms/field.html"
