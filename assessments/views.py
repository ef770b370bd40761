import hashlib
import re

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import can_read_details, can_score, get_region_for_user
from actors.selectors import read_vocabularies
from assessments.access import (
    get_pair_of_round,
    get_round_for_user,
    pick_round,
    rounds_visible_to,
)
from assessments.forms import MatrixPageFilterForm, PairScoreForm, add_service_errors
from assessments.matrix_html import (
    level_cell,
    level_names,
    matrix_page,
    official_matrix,
)
from assessments.models import PairAssessment, level_legend
from assessments.selectors import (
    end_of_day,
    matrix_for_round,
    next_pair_to_score,
)
from assessments.services import (
    CHOICE_LIST_FIELDS,
    CHOICE_LIST_VOCABULARIES,
    StaleAssessment,
    pair_assessment_save,
)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def region_matrix(request, code):
    region = get_region_for_user(request.user, code)
    rounds = rounds_visible_to(request.user, region)
    round_ = pick_round(rounds, request.GET.get("round"), user=request.user, region=region)
    filters = MatrixPageFilterForm(request.GET or None, region=region)
    context = {
        "region": region,
        "rounds": rounds,
        "round": round_,
        "filters": filters,
        "legend": level_legend(),
    }
    if round_ is None:
        return render(request, "assessments/matrix.html", context)
    if filters.is_bound and not filters.is_valid():
        context["filters_html"] = _filters_html(context)
        return render(request, "assessments/matrix.html", context, status=400)
    chosen = filters.cleaned_data if filters.is_bound else {}
    as_of = chosen.get("as_of")
    # The past is read, not scored.
    scoring = round_.is_open and as_of is None and can_score(request.user, region)
    pair_url_template = None
    if scoring:
        pair_url_template = reverse("assessments:pair", args=[round_.pk, 0, 0]).replace(
            "/0-0/", "/{}-{}/"
        )
    # The partners' views are details of pairs (not for viewers), and of the present only.
    switchable = as_of is None and can_read_details(request.user, region)
    view = request.GET.get("view") if switchable else None
    view = view if view in MATRIX_VIEWS else MATRIX_VIEWS[0]
    unscored = chosen.get("unscored", False)
    if view == "official" and as_of is None:
        # Built once for each state of the round, then read from the cache.
        page = official_matrix(
            round=round_,
            **filters.matrix_filters(),
            unscored=unscored,
            pair_url_template=pair_url_template,
        )
    else:
        # The partners app draws the partners' views' cells, from the template.
        page = matrix_page(
            matrix_for_round(
                round=round_,
                **filters.matrix_filters(),
                as_of=end_of_day(as_of) if as_of else None,
            ),
            unscored=unscored,
            pair_url_template=pair_url_template,
            with_html=view == "official",
        )
    context.update(
        page=page,
        shown=page.shown,
        view=view,
        view_links=_view_links(request, view) if switchable else [],
        abbreviations=page.abbreviations,
        pair_url_template=pair_url_template,
        matrix_html=page.html,
        sector_key=page.sector_key,
        scoring=scoring,
        actor_count=page.actor_count,
        possible_pairs=page.possible_pairs,
        assessed=page.assessed,
        all_scored=page.all_scored,
        scope=filters.scope(),
        scope_query=urlencode(filters.scope()),
        unscored=unscored,
    )
    context["filters_html"] = _filters_html(context)
    return render(request, "assessments/matrix.html", context)


# The filter form's widgets and the round picker, drawn through Django's templates, cost
# about as much as the rest of a cached matrix page; they are the same for every view that
# offers the same choices with the same answers.
FILTERS_TIMEOUT = 24 * 3600


def _filters_html(context) -> SafeString:
    """The matrix page's filter form with its round picker, from the cache when the same
    markup was drawn before. Its name holds everything the markup shows: the language, the
    region, the rounds offered (those this user may see) and the one shown, the sectors
    and programmes offered (read on every view), the answers given, and the view kept. A
    form with errors is drawn each time."""
    filters = context["filters"]
    sectors, programmes = filters.read_choices()
    if filters.is_bound and filters.errors:
        return render_to_string("assessments/_matrix_filters.html", context)
    answers = (
        [(name, filters.data.getlist(name)) for name in filters.fields] if filters.is_bound else ()
    )
    named = (
        get_language(),
        context["region"].code,
        [(item.pk, item.name, item.status) for item in context["rounds"]],
        context["round"].pk,
        [(sector.pk, str(sector)) for sector in sectors],
        [(programme.pk, str(programme)) for programme in programmes],
        answers,
        bool(context.get("view_links")),
        context.get("view"),
    )
    key = "matrix-filters:v1:" + hashlib.sha256(repr(named).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string("assessments/_matrix_filters.html", context)
        cache.set(key, str(html), FILTERS_TIMEOUT)
    return mark_safe(html)


# What the matrix's cells show: the official levels, the partners' views of each pair, or
# the pairs whose partners disagree and those reconciled (the partners app draws the last two).
MATRIX_VIEWS = ("official", "partners", "disagreement")


def _view_links(request, current: str) -> list[tuple[str, str, bool]]:
    """The switch between the matrix's views: (label, link, current), filters kept."""
    labels = {
        "official": _("Official level"),
        "partners": _("Partners' views"),
        "disagreement": _("Disagreements"),
    }
    links = []
    for view in MATRIX_VIEWS:
        query = request.GET.copy()
        query["view"] = view
        links.append((labels[view], f"?{query.urlencode()}", view == current))
    return links


def _scorer_round(request, round_id):
    """The round, for a user who may score in its region (403 otherwise)."""
    round_ = get_round_for_user(request.user, round_id)
    if not can_score(request.user, round_.region):
        raise PermissionDenied(_("You may not score pairs in this region."))
    return round_


def _pair_after(value: str | None) -> tuple[int, int] | None:
    """``after=<id>-<id>`` of the next-pair link; anything else starts from the first row."""
    match = re.fullmatch(r"(\d{1,18})-(\d{1,18})", value or "")
    return (int(match[1]), int(match[2])) if match else None


@require_http_methods(["GET"])
def next_pair(request, round_id):
    """The next pair of the matrix (with its filters) that no one has scored yet, after
    the pair ``after``: its scoring panel (a redirect to it), or word that none is left."""
    round_ = _scorer_round(request, round_id)
    matrix_url = f"{reverse('assessments:matrix', args=[round_.region.code])}?round={round_.pk}"
    if not round_.is_open:
        messages.error(request, _("This round is not open for scoring."))
        return redirect(matrix_url)
    filters = MatrixPageFilterForm(request.GET, region=round_.region)
    if not filters.is_valid():
        template = "assessments/" + ("_next_pair.html" if is_htmx(request) else "next_pair.html")
        context = {"round": round_, "region": round_.region, "errors": filters.errors}
        return render(request, template, context, status=400)
    found = next_pair_to_score(
        round=round_, after=_pair_after(request.GET.get("after")), **filters.matrix_filters()
    )
    if found is not None:
        row, column = found
        return redirect("assessments:pair", round_.pk, row.pk, column.pk)
    if is_htmx(request):
        return render(
            request, "assessments/_next_pair.html", {"round": round_, "region": round_.region}
        )
    messages.success(request, _("Every pair of this matrix is scored."))
    return redirect(matrix_url)


@require_http_methods(["GET", "POST"])
def pair(request, round_id, actor_a_id, actor_b_id):
    round_ = _scorer_round(request, round_id)
    first, second = get_pair_of_round(round_, actor_a_id, actor_b_id)
    existing = PairAssessment.objects.filter(round=round_, actor_a=first, actor_b=second).first()
    vocabularies = read_vocabularies()
    form = PairScoreForm(
        request.POST if request.method == "POST" else None,
        initial=PairScoreForm.initial_for(existing),
        vocabularies=vocabularies,
        held=existing,
    )
    status = 200
    saved = None
    refused = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = pair_assessment_save(
                    round=round_,
                    actor_a=first,
                    actor_b=second,
                    level=data["level"],
                    note=data["note"],
                    user=request.user,
                    evidence=form.evidence_answers(),
                    mechanisms=data["mechanisms"],
                    facilitating_factors=data["facilitating_factors"],
                    hindering_factors=data["hindering_factors"],
                    confirm_inconsistent=data["confirm_inconsistent"],
                    expected_version=data["version"],
                )
            except StaleAssessment as stale:
                # Keep what the scorer typed, show what is stored now, and let the next
                # save (after review) be based on the current version.
                existing = stale.current
                refused = stale
                posted = request.POST.copy()
                posted["version"] = existing.version if existing else 0
                form = PairScoreForm(posted, vocabularies=vocabularies, held=existing)
                form.is_valid()
                add_service_errors(form, stale)
            except ValidationError as error:
                add_service_errors(form, error)
        if saved is None:
            status = 400
        elif not is_htmx(request):
            messages.success(request, _("Saved: %(pair)s.") % {"pair": saved})
            return redirect(
                f"{reverse('assessments:matrix', args=[round_.region.code])}?round={round_.pk}"
            )
        else:
            # Show what was stored (the derived level, the lists in vocabulary order).
            form = PairScoreForm(
                initial=PairScoreForm.initial_for(saved), vocabularies=vocabularies, held=saved
            )
    context = {
        "round": round_,
        "region": round_.region,
        "actor_a": first,
        "actor_b": second,
        "form": form,
        "existing": saved or existing,
        "saved": saved,
        "history": _history(saved or existing, vocabularies),
        "legend": level_legend(),
    }
    if is_htmx(request):
        html = render_to_string("assessments/_pair_form.html", context, request=request)
        if saved is not None or refused is not None:
            # The cells and the count follow what is stored now, whether this save was
            # accepted or refused as stale (then the cells show the other save's level).
            level = saved.level if saved is not None else getattr(existing, "level", None)
            # The partners' and disagreement views draw their cells otherwise: they keep
            # theirs (the page shows the new level when reloaded).
            if request.POST.get("matrix_view", MATRIX_VIEWS[0]) == MATRIX_VIEWS[0]:
                html += _swapped_cells(first.pk, second.pk, level, round_)
            html += _swapped_summary(request, round_)
        return HttpResponse(html, status=status)
    return render(request, "assessments/pair.html", context, status=status)


def _history(assessment, vocabularies, limit=10):
    """The latest changes of the pair: who, when, and the level, the mechanisms and
    factors (labelled from the vocabularies) and the note after each."""
    if assessment is None:
        return []
    records = list(
        assessment.history.select_related("history_user").order_by("-history_date")[:limit]
    )
    for record in records:
        record.term_labels = [
            label
            for name in CHOICE_LIST_FIELDS
            for label in vocabularies.of(CHOICE_LIST_VOCABULARIES[name]).labels(
                getattr(record, name)
            )
        ]
    return records


def _swapped_cells(first_id, second_id, level, round_):
    """The two mirrored cells of the pair, swapped into the matrix out of band."""
    names = level_names()
    url = reverse("assessments:pair", args=[round_.pk, first_id, second_id])
    cells = []
    for row, column in ((first_id, second_id), (second_id, first_id)):
        cell = level_cell(level, row, column, names=names, url=url, with_id=True)
        cells.append(cell.replace("<td ", '<td hx-swap-oob="true" ', 1))
    # A <td> outside a table is dropped by the HTML parser; htmx wraps OOB table cells in
    # <template> so they survive.
    return "<template>" + "".join(cells) + "</template>"


def _swapped_summary(request, round_):
    """The matrix page's count of scored pairs, swapped in out of band. The page sends its
    filters (``matrix_scope``) with the save; without them (the pair's own page) there is
    no count to update. Two queries."""
    if "matrix_scope" not in request.POST:
        return ""
    filters = MatrixPageFilterForm(request.POST, region=round_.region)
    if not filters.is_valid():
        return ""
    matrix = matrix_for_round(round=round_, **filters.matrix_filters())
    return render_to_string(
        "assessments/_matrix_summary.html",
        {
            "actor_count": len(matrix.actors),
            "possible_pairs": matrix.possible_pairs,
            "assessed": len(matrix.levels),
            "scoring": True,
            "oob": True,
        },
        request=request,
    )
