from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors.models import GovernmentLevel, Programme, Sector
from actors.selectors import Vocabularies, read_vocabularies
from assessments.models import (
    EVIDENCE_FIELDS,
    NOTE_MAX_LENGTH,
    Level,
    PairAssessment,
)
from assessments.services import CHOICE_LIST_FIELDS, CHOICE_LIST_VOCABULARIES, derive_level
from convergence.validators import normalize_newlines, validate_free_text

# An inactive term that the pair still holds: shown ticked, so that it can be kept or removed.
RETIRED = _("%(label)s (no longer offered)")
ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("", _("Not answered"))]


def _is_yes(value: str) -> bool:
    return value == "yes"


class EvidenceAnswerField(forms.TypedChoiceField):
    """One evidence question: yes, no or not answered, cleaned to True, False or None."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=ANSWER_CHOICES,
            coerce=_is_yes,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value):
        # An answer stored as True/False is shown as the radio button it came from.
        return {True: "yes", False: "no", None: ""}.get(value, value)


class FreeTextField(forms.CharField):
    """Multi-line text under the free-text rule; a browser's CRLF line breaks become LF
    before the length is counted."""

    default_validators = [validate_free_text]

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if isinstance(value, str) else value


class PairScoreForm(forms.Form):
    """The level of one pair, chosen directly or derived from the four evidence questions.

    The rules between the fields (a level that contradicts the answers, answers that skip
    a step) are the service's, so that the API and the import apply the same ones.
    """

    # The version of the assessment the scorer read (0: not assessed yet); a save based on
    # an older one is refused by the service instead of overwriting someone else's change.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    level = forms.TypedChoiceField(
        label=_("Degree of convergence"),
        # The empty choice leaves the level to the answers; radio buttons cannot be unticked.
        choices=[*Level.choices, ("", _("Derive from the answers below"))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    # The questions of DESIGN.md "Scoring from evidence", in scale order.
    shares_information = EvidenceAnswerField(
        label=_("Do they share information or data with each other?")
    )
    joint_activities = EvidenceAnswerField(
        label=_(
            "Do they carry out activities together, such as joint meetings, training or field work?"
        )
    )
    shared_roles_and_resources = EvidenceAnswerField(
        label=_(
            "Have they agreed shared roles and pooled resources (budget, staff, facilities) "
            "toward a common target?"
        )
    )
    formal_structure = EvidenceAnswerField(
        label=_(
            "Do both sit in a formal cross-sector structure (a decree-based team, a joint "
            "plan and budget) and share capacity?"
        )
    )
    confirm_inconsistent = forms.BooleanField(
        label=_("These answers are right although they skip a step; I choose the level myself."),
        required=False,
    )
    # The choices are the vocabularies' terms, set in __init__.
    mechanisms = forms.MultipleChoiceField(
        label=_("Mechanisms"), required=False, widget=forms.CheckboxSelectMultiple
    )
    facilitating_factors = forms.MultipleChoiceField(
        label=_("Facilitating factors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    hindering_factors = forms.MultipleChoiceField(
        label=_("Hindering factors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = FreeTextField(
        label=_("Note (evidence seen)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args,
        vocabularies: Vocabularies | None = None,
        held: PairAssessment | None = None,
        **kwargs,
    ):
        """``vocabularies`` as read for the request (read here when not given); ``held``:
        the stored assessment, whose inactive terms stay offered to it (and only to it)."""
        super().__init__(*args, **kwargs)
        vocabularies = vocabularies or read_vocabularies()
        for name in CHOICE_LIST_FIELDS:
            terms = vocabularies.of(CHOICE_LIST_VOCABULARIES[name])
            keep = getattr(held, name, None) or ()
            self.fields[name].choices = [
                (code, label if code in terms.active_codes else RETIRED % {"label": label})
                for code, label in terms.choices(keep=keep)
            ]

    @staticmethod
    def initial_for(assessment: PairAssessment | None) -> dict:
        """The form's initial values from a stored assessment.

        A level that was derived from consistent answers is shown as "derive", so that
        changing an answer changes the level instead of contradicting it.
        """
        if assessment is None:
            return {"version": 0}
        answers = tuple(getattr(assessment, name) for name in EVIDENCE_FIELDS)
        result = derive_level(answers)
        derived = result.has_evidence and not result.inconsistent
        return {
            "level": None if derived and result.level == assessment.level else assessment.level,
            **dict(zip(EVIDENCE_FIELDS, answers, strict=True)),
            "confirm_inconsistent": assessment.evidence_inconsistency_confirmed,
            "mechanisms": assessment.mechanisms,
            "facilitating_factors": assessment.facilitating_factors,
            "hindering_factors": assessment.hindering_factors,
            "note": assessment.note,
            "version": assessment.version,
        }

    def evidence_questions(self):
        """Each question's bound field with the level that a yes to it (and below) supports."""
        return [(self[name], Level(number)) for number, name in enumerate(EVIDENCE_FIELDS, 1)]

    def evidence_answers(self) -> tuple[bool | None, ...]:
        return tuple(self.cleaned_data[name] for name in EVIDENCE_FIELDS)

    def choice_lists(self):
        return [self[name] for name in CHOICE_LIST_FIELDS]

    def shows_confirmation(self) -> bool:
        """The confirmation is offered with the warning, or when it was already given."""
        field = self["confirm_inconsistent"]
        return bool(field.errors) or bool(field.value())


class MatrixFilterForm(forms.Form):
    """Filters of the who × who matrix; unknown values are refused, not ignored."""

    # Checkboxes, not a multi-select that needs Ctrl-click; the same ``sector`` parameter,
    # repeated, so that links and the API's query strings keep working.
    sector = forms.ModelMultipleChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
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

    as_of = forms.DateField(
        label=_("As of (date)"),
        required=False,
        help_text=_("Show the levels as they stood at the end of that day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.all()
        self.fields["programme"].queryset = Programme.objects.filter(region=region)


class MatrixPageFilterForm(MatrixFilterForm):
    """The matrix page's filters: the API's, and what a scorer needs to find the pairs
    still to score."""

    unscored = forms.BooleanField(
        label=_("Only actors with pairs still to score"),
        required=False,
        help_text=_(
            "Hides the actors whose every pair in the matrix is scored; the count above "
            "still counts every pair."
        ),
    )

    def read_choices(self) -> tuple[list, list]:
        """The sectors and the programmes the form offers, read once (two queries) and
        given to the widgets, which draw them without reading them again: the page names
        its cached markup of the form after them (``assessments.views``)."""
        sector_field, programme_field = self.fields["sector"], self.fields["programme"]
        sectors = list(sector_field.queryset)
        programmes = list(programme_field.queryset)
        sector_field.widget.choices = [
            (sector.pk, sector_field.label_from_instance(sector)) for sector in sectors
        ]
        programme_field.widget.choices = [("", programme_field.empty_label)] + [
            (programme.pk, programme_field.label_from_instance(programme))
            for programme in programmes
        ]
        return sectors, programmes

    def scope(self) -> list[tuple[str, object]]:
        """The cleaned filters (not ``as_of``, not ``unscored``) as query parameters, for the
        links and requests that work on the same matrix: next pair, the count after a save."""
        chosen = self.matrix_filters()
        params: list[tuple[str, object]] = [("sector", pk) for pk in chosen["sector_ids"]]
        if chosen["government_level"] is not None:
            params.append(("government_level", chosen["government_level"]))
        if chosen["programme"] is not None:
            params.append(("programme", chosen["programme"].pk))
        return params

    def matrix_filters(self) -> dict:
        """The cleaned filters as ``matrix_for_round`` takes them (not ``as_of``)."""
        chosen = self.cleaned_data if self.is_bound else {}
        return {
            "sector_ids": [sector.pk for sector in chosen.get("sector") or ()],
            "government_level": chosen.get("government_level"),
            "programme": chosen.get("programme"),
        }


# Errors of the scoring rules that are not about one field but belong next to one on a form.
FIELD_FOR_ERROR_CODE = {"inconsistent_evidence": "confirm_inconsistent"}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: each field's errors on that field (on
    the form when the form has no such field), the others where their code belongs. Used
    by the scorer's pair form and the partner's answer form."""
    if hasattr(error, "error_dict"):
        for field_name, field_errors in error.error_dict.items():
            target = field_name if field_name in form.fields else None
            for item in field_errors:
                form.add_error(target, item)
    else:
        for item in error.error_list:
            form.add_error(FIELD_FOR_ERROR_CODE.get(item.code), item)
