from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The benchmark commands (``bench``, ``bench_pages``, ``bench_load``,
    ``bench_import``, ``bench_reports``) and the synthetic data they share
    (``benchmarks.synthetic``). Not the product: no product app imports it."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
