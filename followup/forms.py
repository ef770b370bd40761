from django import forms
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Sector
from actors.selectors import Vocabularies
from assessments.forms import FreeTextField
from assessments.models import AssessmentRound, Level
from followup.models import NOTES_MAX_LENGTH, ActionStatus, Aksi, FollowUpAction


def _blank(label):
    return [("", label)]


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Actor.objects.none(), required=False, empty_label=_("All")
    )
    aksi = forms.TypedChoiceField(label=_("Aksi"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _blank(_("All")) + ActionStatus.choices
        self.fields["aksi"].choices = _blank(_("All")) + Aksi.choices
        self.fields["owner"].queryset = owners


class ActionForm(forms.Form):
    """The values of an action; the rules between them and the round are the service's."""

    actor_a = forms.ModelChoiceField(
        label=_("Actor"), queryset=Actor.objects.none(), required=False, empty_label="—"
    )
    actor_b = forms.ModelChoiceField(
        label=_("Second actor (for a pair)"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label="—",
    )
    sector_a = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False, empty_label="—"
    )
    sector_b = forms.ModelChoiceField(
        label=_("Second sector"), queryset=Sector.objects.all(), required=False, empty_label="—"
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"), choices=Level.choices, coerce=int
    )
    mechanism = forms.ChoiceField(label=_("Mechanism to put in place"))
    owner = forms.ModelChoiceField(
        label=_("Owner (the actor that leads it)"), queryset=Actor.objects.none()
    )
    involved = forms.ModelMultipleChoiceField(
        label=_("Other actors involved"),
        queryset=Actor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    aksi = forms.TypedChoiceField(label=_("Aksi konvergensi"), choices=Aksi.choices, coerce=int)
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    notes = FreeTextField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    SUBJECT_FIELDS = ("actor_a", "actor_b", "sector_a", "sector_b")

    def __init__(
        self,
        *args,
        round: AssessmentRound,
        vocabularies: Vocabularies,
        held: FollowUpAction | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        roster = Actor.objects.filter(memberships__round=round).order_by("name")
        for name in ("actor_a", "actor_b", "owner", "involved"):
            self.fields[name].queryset = roster
        keep = [held.mechanism] if held is not None else []
        self.fields["mechanism"].choices = vocabularies.mechanisms.choices(keep=keep)
        if held is not None:
            # The subject is what the action is about: it is not changed.
            for name in self.SUBJECT_FIELDS:
                del self.fields[name]

    @staticmethod
    def initial_for(action: FollowUpAction) -> dict:
        return {
            "target_level": action.target_level,
            "mechanism": action.mechanism,
            "owner": action.owner_id,
            "involved": [actor.pk for actor in action.involved.all()],
            "aksi": action.aksi,
            "due_date": action.due_date,
            "status": action.status,
            "notes": action.notes,
        }

    @property
    def subject_fields(self):
        return [self[name] for name in self.SUBJECT_FIELDS if name in self.fields]

    @property
    def value_fields(self):
        return [self[name] for name in self.fields if name not in self.SUBJECT_FIELDS]
