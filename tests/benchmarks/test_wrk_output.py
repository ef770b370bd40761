"""``bench_load`` reads wrk's own output: these are real runs of wrk 4.1.0 (Debian)."""

from pathlib import Path

import pytest

from benchmarks.management.commands.bench_load import load_targets, parse_wrk
from benchmarks.timing import target_line

SAMPLES = Path(__file__).parent / "wrk_output"


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        # The "+/- Stdev" column of the latency line ends in "50%" (74.50%): p50 is still
        # read from the latency distribution, not from whatever follows that column.
        (
            "stdev_ends_in_50.txt",
            {"rps": 767.20, "requests": 769, "p50": "3.32ms", "p99": "12.07ms", "errors": 0},
        ),
        (
            "plain.txt",
            {"rps": 2091.84, "requests": 2301, "p50": "667.00us", "p99": "7.30ms", "errors": 0},
        ),
        # Latencies in seconds: wrk pads "1.20s " with a space to align it with "ms".
        (
            "seconds.txt",
            {"rps": 5.49, "requests": 33, "p50": "1.20s", "p99": "1.51s", "errors": 0},
        ),
        # Every response a 404: counted as errors.
        (
            "non_2xx.txt",
            {"rps": 1529.41, "requests": 3074, "p50": "2.86ms", "p99": "160.11ms", "errors": 3074},
        ),
        # Requests that timed out are socket errors.
        (
            "timeouts.txt",
            {"rps": 18.73, "requests": 75, "p50": "54.68ms", "p99": "208.35ms", "errors": 23},
        ),
    ],
)
def test_the_figures_come_from_their_own_lines(sample, expected):
    assert parse_wrk((SAMPLES / sample).read_text()) == expected


def test_output_without_a_latency_distribution_is_refused():
    """Run without --latency, wrk prints no percentiles: say so rather than guess."""
    distribution = ("Latency Distribution", "50%", "75%", "90%", "99%")
    text = (SAMPLES / "plain.txt").read_text()
    without = "\n".join(
        line for line in text.splitlines() if not line.strip().startswith(distribution)
    )
    with pytest.raises(ValueError, match="latency distribution"):
        parse_wrk(without)


def test_the_load_targets_are_read_from_the_two_runs():
    """The matrix's share of /healthz's requests per second (5 % or more), and its errors."""
    healthz = parse_wrk((SAMPLES / "plain.txt").read_text())  # 2091.84 req/s
    slow = parse_wrk((SAMPLES / "seconds.txt").read_text())  # 5.49 req/s, no error
    timed_out = parse_wrk((SAMPLES / "timeouts.txt").read_text())  # 18.73 req/s, 23 errors
    fast = {**slow, "rps": 0.05 * healthz["rps"]}

    assert [met for met, _text in load_targets(healthz, fast, actors=50, timeout=2)] == [
        True,
        True,
    ]
    (share, errors) = load_targets(healthz, slow, actors=50, timeout=2)
    assert share == (
        False,
        "50-actor matrix at 5% or more of /healthz's requests per second "
        "(target set at 50 actors): 0.3%",
    )
    assert errors[0] is True
    (share, errors) = load_targets(healthz, timed_out, actors=200, timeout=10)
    # The share's target is set at 50 actors: at 200 it is shown, neither met nor failed.
    assert share[0] is None and target_line(*share).startswith("INFO  200-actor matrix at 5%")
    assert errors == (
        False,
        "200-actor matrix: 0 errors with a 10 s time-out (target set at 200 actors, 10 s): 23",
    )
