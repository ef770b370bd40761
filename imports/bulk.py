"""Bulk writes that keep the change history of the models that have one (simple_history),
as a save does: ``Model.objects.bulk_create`` alone would write no historical records."""

from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

BATCH_SIZE = 1000
CHANGE_REASON = "import"


def _has_history(model) -> bool:
    try:
        get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return False
    return True


def bulk_create(model, objs: list, *, user) -> list:
    if not objs:
        return []
    if _has_history(model):
        return bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def bulk_update(model, objs: list, fields: list[str], *, user) -> None:
    if not objs:
        return
    if _has_history(model):
        bulk_update_with_history(
            objs,
            model,
            fields,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )
    else:
        model.objects.bulk_update(objs, fields, batch_size=BATCH_SIZE)
