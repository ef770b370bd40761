import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.backup import restore_round
from imports.tabular import ImportRefused


class Command(BaseCommand):
    help = "Restore a round written by export_round (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--user",
            required=True,
            help="who restores: an admin of the round's region, kept in the history",
        )

    def handle(self, *args, path, user=None, **options):
        restorer = None
        if user:
            restorer = get_user_model().objects.filter(username=user).first()
            if restorer is None:
                raise CommandError(_("No user named %(user)s.") % {"user": user})
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        except (UnicodeDecodeError, ValueError):
            # json.JSONDecodeError is a ValueError; so is a number too large to read.
            raise CommandError(
                _("Nothing restored: %(path)s is not a JSON file.") % {"path": path}
            ) from None
        except RecursionError:
            raise CommandError(
                _("Nothing restored: %(path)s is nested too deeply.") % {"path": path}
            ) from None
        try:
            round_ = restore_round(data=data, user=restorer)
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                ngettext(
                    "Nothing restored: %(count)d problem in %(path)s (listed above).",
                    "Nothing restored: %(count)d problems in %(path)s (listed above).",
                    len(refused.errors),
                )
                % {"count": len(refused.errors), "path": path}
            ) from None
        self.stdout.write(
            _("Restored round %(id)d (%(name)s, %(status)s) with %(pairs)d pairs.")
            % {
                "id": round_.pk,
                "name": round_.name,
                "status": round_.get_status_display(),
                "pairs": round_.assessments.count(),
            }
        )
