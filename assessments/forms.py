from django import forms
from django.utils.translation import gettext_lazy as _

from actors.models import GovernmentLevel, Programme, Sector
from assessments.models import NOTE_MAX_LENGTH, Level


class PairScoreForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Degree of convergence"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (evidence seen)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MatrixFilterForm(forms.Form):
    """Filters of the who × who matrix; unknown values are refused, not ignored."""

    sector = forms.ModelMultipleChoiceField(
        label=_("Sector"), queryset=Sector.objects.none(), required=False
    )
    government_level = forms.TypedChoiceField(
        label=_("Government level"),
        choices=[("", _("All levels"))] + GovernmentLevel.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("All actors"),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.all()
        self.fields["programme"].queryset = Programme.objects.filter(region=region)
