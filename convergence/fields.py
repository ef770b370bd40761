"""A list of choices from a fixed vocabulary, stored as JSON (works on SQLite and PostgreSQL)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A JSON list whose items must come from ``choices`` (an ``models.TextChoices``).

    Values are kept in vocabulary order without duplicates, so two saves of the same
    selection store the same value.
    """

    def __init__(self, *args, vocabulary=None, **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["vocabulary"] = self.vocabulary
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Choose from the list."), code="invalid")
        allowed = set(self.vocabulary.values)
        unknown = [str(item) for item in value if item not in allowed]
        if unknown:
            raise ValidationError(
                _("Not in the list of choices: %(items)s."),
                code="invalid_choice",
                params={"items": ", ".join(unknown)},
            )

    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        order = list(self.vocabulary.values)
        return sorted(set(value), key=order.index)

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.vocabulary.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def labels(self, value):
        mapping = dict(self.vocabulary.choices)
        return [mapping.get(item, item) for item in value]
