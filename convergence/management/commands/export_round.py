import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.backup import export_round
from assessments.models import AssessmentRound


class Command(BaseCommand):
    help = "Write one round (with its regions, sectors, actors, programme and pairs) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, round_id, output=None, **options):
        try:
            round_ = AssessmentRound.objects.select_related("region", "programme").get(pk=round_id)
        except AssessmentRound.DoesNotExist:
            raise CommandError(_("No round with id %(id)d.") % {"id": round_id}) from None
        text = json.dumps(export_round(round=round_), ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(
                _("Round %(id)d written to %(path)s.") % {"id": round_id, "path": output}
            )
        else:
            self.stdout.write(text)
