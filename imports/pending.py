"""Uploads waiting for their preview to be confirmed.

The page shows a preview of an upload and imports it only when the user confirms. Between
the two the file's bytes wait in Django's default storage (not the session: a file may be
10 MB) under an unguessable name, with who uploaded it, for which kind of import and
round, when, and the digest of the plan the preview showed. A confirm is refused for
another user, another kind or round, after ``IMPORT_PREVIEW_MAX_AGE_MINUTES``, or once the
file has been imported (it is deleted then).
"""

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

FOLDER = "imports/pending"
# secrets.token_urlsafe(32): 43 characters of A-Z a-z 0-9 - _ (no path can be made of it).
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class PendingImport:
    token: str
    user_id: int
    kind: str
    round_id: int | None
    uploaded_at: datetime
    digest: str
    file_name: str

    def as_dict(self) -> dict:
        return {
            "user_id": self.user_id,
            "kind": self.kind,
            "round_id": self.round_id,
            "uploaded_at": self.uploaded_at.isoformat(),
            "digest": self.digest,
            "file_name": self.file_name,
        }


class PreviewGone(Exception):
    """The preview cannot be confirmed (unknown, someone else's, expired or used)."""

    def __init__(self):
        super().__init__(
            _(
                "This preview can no longer be confirmed: a preview lasts %(minutes)d "
                "minutes, is confirmed once, and only by whoever uploaded the file. Upload "
                "the file again."
            )
            % {"minutes": settings.IMPORT_PREVIEW_MAX_AGE_MINUTES}
        )


def _path(token: str) -> str:
    return f"{FOLDER}/{token}"


def _max_age() -> timedelta:
    return timedelta(minutes=settings.IMPORT_PREVIEW_MAX_AGE_MINUTES)


def _write(pending: PendingImport, data: bytes) -> None:
    header = json.dumps(pending.as_dict()).encode() + b"\n"
    saved = default_storage.save(_path(pending.token), ContentFile(header + data))
    if saved != _path(pending.token):  # pragma: no cover - a new random token is never taken
        default_storage.delete(saved)
        raise OSError("The uploaded file could not be kept for its preview.")


def stash(*, data: bytes, user, kind: str, round_id: int | None, digest: str, file_name: str):
    """Keep ``data`` until its preview is confirmed; the token names it."""
    purge_expired()
    pending = PendingImport(
        token=secrets.token_urlsafe(32),
        user_id=user.pk,
        kind=kind,
        round_id=round_id,
        uploaded_at=timezone.now(),
        digest=digest,
        file_name=file_name[:200],
    )
    _write(pending, data)
    return pending


def _read(token: str, *, with_data: bool = True) -> tuple[PendingImport, bytes] | None:
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    try:
        with default_storage.open(_path(token), "rb") as stored:
            header = json.loads(stored.readline())
            data = stored.read() if with_data else b""
    except (OSError, ValueError):
        return None
    pending = PendingImport(
        token=token,
        user_id=header["user_id"],
        kind=header["kind"],
        round_id=header["round_id"],
        uploaded_at=datetime.fromisoformat(header["uploaded_at"]),
        digest=header["digest"],
        file_name=header["file_name"],
    )
    return pending, data


def fetch(token: str, *, user, kind: str, round_id: int | None) -> tuple[PendingImport, bytes]:
    """The waiting upload named ``token`` if ``user`` uploaded it for this kind and round
    within the allowed time; PreviewGone otherwise."""
    found = _read(token)
    if found is None:
        raise PreviewGone()
    pending, data = found
    if (pending.user_id, pending.kind, pending.round_id) != (user.pk, kind, round_id):
        raise PreviewGone()
    if timezone.now() - pending.uploaded_at > _max_age():
        discard(token)
        raise PreviewGone()
    return pending, data


def replace_digest(pending: PendingImport, data: bytes, digest: str) -> PendingImport:
    """The data changed since the preview: the same upload, now previewed as ``digest``."""
    renewed = PendingImport(**{**pending.__dict__, "digest": digest})
    discard(pending.token)
    _write(renewed, data)
    return renewed


def discard(token: str) -> None:
    if isinstance(token, str) and _TOKEN.match(token):
        default_storage.delete(_path(token))


def purge_expired() -> None:
    """Delete the uploads whose preview has expired (each new upload does it)."""
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        found = _read(name, with_data=False)
        if found is None:
            if _TOKEN.match(name):
                default_storage.delete(_path(name))  # unreadable: it can never be confirmed
            continue
        if timezone.now() - found[0].uploaded_at > _max_age():
            default_storage.delete(_path(name))
