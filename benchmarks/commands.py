"""What the commands that time one synthetic district share."""

from django.core.management.base import BaseCommand, CommandError

from benchmarks import synthetic


class DistrictBenchmark(BaseCommand):
    """Times what ``run(actors, runs)`` builds and requests for a synthetic district of
    ``--actors`` actors, ``--runs`` times each, in a transaction rolled back at the end."""

    default_actors = 100
    default_runs = 1

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=self.default_actors)
        parser.add_argument("--runs", type=int, default=self.default_runs)

    def handle(self, *args, actors, runs, **options):
        if actors < 2 or runs < 1:
            raise CommandError("--actors must be at least 2 and --runs at least 1.")
        synthetic.prepare(self.stdout)
        with synthetic.rolled_back():
            self.run(actors, runs)

    def run(self, actors: int, runs: int) -> None:
        raise NotImplementedError
