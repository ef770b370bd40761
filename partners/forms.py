from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import PairScoreForm
from assessments.models import EVIDENCE_FIELDS, Level
from assessments.services import CHOICE_LIST_FIELDS, derive_level
from partners.models import REASON_MAX_LENGTH, RESPONDENT_MAX_LENGTH


class RespondentForm(forms.Form):
    respondent_name = forms.CharField(label=_("Your name"), max_length=RESPONDENT_MAX_LENGTH)
    respondent_position = forms.CharField(
        label=_("Your position in your organisation"), max_length=RESPONDENT_MAX_LENGTH
    )


class PartnerAnswerForm(PairScoreForm):
    """The scorer's form, asked from the partner's side: the same four questions, the same
    lists and note; the level is derived from the answers (chosen only when answers that
    skip a step are confirmed). The rules are the scoring service's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.fields["level"].label = _("The level of this tie, in your own judgement")
        labels = {
            "shares_information": _("Do we share information or data with them?"),
            "joint_activities": _(
                "Do we carry out activities together, such as joint meetings, training or "
                "field work?"
            ),
            "shared_roles_and_resources": _(
                "Have we agreed shared roles and pooled resources (budget, staff, facilities) "
                "toward a common target?"
            ),
            "formal_structure": _(
                "Do we both sit in a formal cross-sector structure (a decree-based team, a "
                "joint plan and budget) and share capacity?"
            ),
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["confirm_inconsistent"].label = _(
            "These answers are right although they skip a step; I choose the level myself."
        )
        self.fields["note"].label = _("Note (optional)")

    @staticmethod
    def initial_for(answer) -> dict:
        """The form's initial values from the holder's stored answer (as the scorer's form
        shows a stored assessment: a level that the answers derive is left to them)."""
        if answer is None:
            return {}
        initial = {name: getattr(answer, name) for name in (*CHOICE_LIST_FIELDS, "note")}
        if answer.not_working_together or answer.dont_know:
            return initial
        answers = tuple(getattr(answer, name) for name in EVIDENCE_FIELDS)
        result = derive_level(answers)
        derived = result.has_evidence and not result.inconsistent
        return initial | {
            "level": None if derived and result.level == answer.level else answer.level,
            **dict(zip(EVIDENCE_FIELDS, answers, strict=True)),
            "confirm_inconsistent": answer.evidence_inconsistency_confirmed,
        }


class ReconcileForm(forms.Form):
    """The scorer's decision on a pair from both partners' views. ``views_version`` and
    ``version`` are what the panel showed (the views and the official assessment). Its
    fields are prefixed: the scorer's own form is on the same panel."""

    prefix = "reconcile"

    level = forms.TypedChoiceField(
        label=_("Official level"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why this level (kept in the pair's history)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        # The service strips and judges it, in the same words as the API.
        required=False,
        strip=False,
    )
    views_version = forms.CharField(widget=forms.HiddenInput, max_length=64)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
