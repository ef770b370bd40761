from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentRound
from imports.services import KINDS, ROUND_KINDS


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=list(KINDS.items()), widget=forms.RadioSelect
    )
    round = forms.ModelChoiceField(
        label=_("Round (for pair assessments)"),
        queryset=AssessmentRound.objects.none(),
        required=False,
        empty_label=_("Choose an open round"),
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"), allow_empty_file=True)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in ROUND_KINDS and not cleaned.get("round"):
            self.add_error("round", _("Choose the round to import the pair assessments into."))
        return cleaned


class ConfirmForm(forms.Form):
    """The confirmation of a preview: its token, and the kind and round it was made for."""

    token = forms.CharField(max_length=64)
    kind = forms.ChoiceField(choices=list(KINDS.items()))
    round = forms.IntegerField(required=False, min_value=1)


class TemplateForm(forms.Form):
    """Which template to download: the pair shapes are for a round."""

    round = forms.ModelChoiceField(queryset=AssessmentRound.objects.none(), required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
