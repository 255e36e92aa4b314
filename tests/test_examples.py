"""The example scripts run and print what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(name: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.skipif(not EXAMPLES.exists(), reason="examples are not installed with the package")
class TestExamples:
    def test_roster(self) -> None:
        out = run("roster_on_a_date.py", "7 April 2016")
        assert "observer (6): Afghanistan, Belarus, India, Iran, Mongolia, Pakistan" in out
        assert "member (6): China, Kazakhstan, Kyrgyzstan, Russia, Tajikistan, Uzbekistan" in out

    def test_timeline(self) -> None:
        out = run("timeline_of_a_state.py", "Pakistan")
        assert out.startswith("Pakistan in the SCO")
        assert "2017-06-09  membership granted" in out
        assert out.rstrip().endswith("now: member")

    def test_waves(self) -> None:
        lines = run("enlargement_waves.py").splitlines()
        assert lines[0].startswith("1996-04-26: China, Kazakhstan, Kyrgyzstan, Russia, Tajikistan")
        assert "2017-06-09: India, Pakistan (members afterwards: 8)" in lines

    def test_how_long(self) -> None:
        assert "11 years, 11 months, 4 days" in run("how_long_an_observer.py")

    def test_own_log(self) -> None:
        out = run("your_own_log.py")
        assert "2030-07-01 none (dialogue partner decided)" in out
        assert "refused: TKM on 2032: 'membership_granted' is not allowed" in out

    def test_own_organisation(self) -> None:
        lines = run("your_own_organisation.py").splitlines()
        assert lines[0] == "Example Union: statuses none, guest, member"
        assert "2020-06-15 uncertain: guest or guest (invited)" in lines
        assert "members on 2021-06-01: DEU, FRA, NOR" in lines
        assert lines[-1].startswith("refused: NOR on 2020-01-01: 'accession' is not allowed")

    def test_panel(self) -> None:
        lines = run("country_year_panel.py", "majority").splitlines()
        assert "2017  1:  8  3:  4  0: 18" in lines
        assert "  IRN 2023: 3 (acceding, 184 days)" in lines
        assert run("country_year_panel.py").splitlines()[-1] == (
            "state-years whose code differs from rule dec31: 0"
        )

    @pytest.mark.parametrize(
        ("name", "argument", "message"),
        [
            ("roster_on_a_date.py", "someday", "cannot read 'someday' as a date"),
            ("timeline_of_a_state.py", "Atlantis", "'Atlantis' is not an ISO 3166-1"),
            ("country_year_panel.py", "median", "unknown panel rule 'median'"),
            ("timeline_chart.py", "sco.gif", "unknown chart file suffix '.gif'"),
            pytest.param(  # draws the chart before it finds the folder missing
                "timeline_chart.py",
                "/nonexistent/folder/sco.png",
                "/nonexistent/folder/sco.png: No such file or directory",
                marks=pytest.mark.slow,
            ),
        ],
    )
    def test_a_bad_argument_is_one_line_and_status_2(
        self, name: str, argument: str, message: str
    ) -> None:
        if name == "timeline_chart.py" and argument.endswith(".png"):
            pytest.importorskip("matplotlib")
        done = subprocess.run(
            [sys.executable, str(EXAMPLES / name), argument],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.startswith(f"{name}: error: ")
        assert done.stderr.count("\n") == 1
        assert message in done.stderr

    def test_every_example_is_tested(self) -> None:
        scripts = {path.name for path in EXAMPLES.glob("*.py")}
        tested = {"roster_on_a_date.py", "timeline_of_a_state.py", "enlargement_waves.py"}
        tested |= {"how_long_an_observer.py", "your_own_log.py", "timeline_chart.py"}
        tested |= {"country_year_panel.py", "your_own_organisation.py"}
        assert scripts == tested
