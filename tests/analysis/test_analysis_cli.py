"""The command line: a JSON report on success, one clear line and status 2 on bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from suhde.analysis.cli import main

PEOPLE = (
    "id,organization,sector\n"
    "anna,City,public\nbo,City,public\ncai,Club,third\ndan,Shop,private\neve,Shop,private\n"
)
TIES = (
    "source,target,level,knowing,trust,commitment\n"
    "anna,bo,4,4,4,3\nbo,anna,3,4,3,3\nanna,cai,2,2,2,2\ncai,dan,1,1,2,1\ndan,eve,5,4,4,4\n"
)
TIES_BEFORE = "source,target,level\nanna,bo,2\nbo,cai,3\n"
PEOPLE_BEFORE = "id,organization,sector\nanna,City,public\nbo,City,public\ncai,Club,third\n"
SECTIONS = {"network", "nodes", "groups", "dimensions", "suggestions", "meta"}


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in [
        ("people", PEOPLE),
        ("ties", TIES),
        ("people0", PEOPLE_BEFORE),
        ("ties0", TIES_BEFORE),
    ]:
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def test_main_writes_report_with_every_section(files, tmp_path):
    out = tmp_path / "report.json"
    assert main([str(files["people"]), str(files["ties"]), "-o", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report) == SECTIONS
    assert report["network"]["nodes"] == 5 and report["network"]["ties"] == 5
    assert [row["id"] for row in report["nodes"]] == ["anna", "bo", "cai", "dan", "eve"]
    assert set(report["nodes"][0]["brokerage"]) == {
        "coordinator",
        "gatekeeper",
        "representative",
        "consultant",
        "liaison",
    }


def test_main_gives_the_same_report_with_one_and_two_workers(files, tmp_path):
    outs = [tmp_path / "one.json", tmp_path / "two.json"]
    for workers, out in zip(("1", "2"), outs, strict=True):
        argv = [str(files["people"]), str(files["ties"]), "-o", str(out), "--workers", workers]
        assert main(argv) == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()


@pytest.mark.parametrize(
    ("workers", "expected"),
    [("0", "0 is not a number of processes from 1 to 64"), ("two", "'two' is not a whole number")],
)
def test_main_refuses_a_bad_worker_count_in_one_line(files, capsys, workers, expected):
    with pytest.raises(SystemExit) as stop:
        main([str(files["people"]), str(files["ties"]), "--workers", workers])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"suhde analyze: error: argument --workers: {expected}"
    )


def test_main_prints_json_to_stdout_without_output_option(files, capsys):
    assert main([str(files["people"]), str(files["ties"])]) == 0
    assert json.loads(capsys.readouterr().out)["network"]["strong_tie_share"] == 0.6


def test_main_adds_change_section_with_wave_before(files, capsys):
    argv = [str(files["people"]), str(files["ties"])]
    argv += ["--wave-before", str(files["people0"]), str(files["ties0"])]
    assert main(argv) == 0
    change = json.loads(capsys.readouterr().out)["change"]
    # before: anna→bo weak, bo→cai; after: anna→bo strong, bo→anna, anna→cai, cai→dan, dan→eve
    assert (change["ties_added"], change["ties_lost"]) == (4, 1)
    assert (change["strengthened"], change["weakened"]) == (1, 0)
    assert change["people_added"] == 2
    assert change["network"]["ties"] == {"before": 2, "after": 5, "change": 3}


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        ("source,target\nanna,zed\n", "ties.csv, row 2, column 'target': unknown person 'zed'"),
        ("source,target,trust\nanna,bo,9\n", "ties.csv, row 2, column 'trust'"),
        ("source\nanna\n", "ties.csv, row 1, column 'target': missing column"),
    ],
)
def test_main_reports_bad_input_in_one_line_without_traceback(files, capsys, ties, expected):
    files["ties"].write_text(ties, encoding="utf-8")
    assert main([str(files["people"]), str(files["ties"])]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_main_reports_missing_file_without_traceback(tmp_path, capsys):
    assert main([str(tmp_path / "none.csv"), str(tmp_path / "none2.csv")]) == 2
    assert "none.csv" in capsys.readouterr().err


def test_main_handles_empty_network_and_one_person(files, capsys):
    files["people"].write_text("id,organization,sector\n", encoding="utf-8")
    files["ties"].write_text("source,target\n", encoding="utf-8")
    assert main([str(files["people"]), str(files["ties"])]) == 0
    empty = json.loads(capsys.readouterr().out)
    assert empty["network"]["nodes"] == 0 and empty["nodes"] == []
    assert empty["network"]["reciprocity"] is None and empty["network"]["mean_distance"] is None
    files["people"].write_text("id,organization,sector\nanna,City,public\n", encoding="utf-8")
    assert main([str(files["people"]), str(files["ties"])]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["network"]["isolates"] == 1 and one["network"]["diameter"] == 0
    assert one["nodes"][0]["constraint"] is None
    assert [s["kind"] for s in one["suggestions"]] == ["include"]


def test_python_m_suhde_analysis_runs_the_cli(files):
    result = subprocess.run(
        [sys.executable, "-m", "suhde.analysis", str(files["people"]), str(files["ties"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["network"]["ties"] == 5


def test_analyze_management_command_writes_report(files, tmp_path):
    out = tmp_path / "r.json"
    call_command("analyze", str(files["people"]), str(files["ties"]), "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["network"]["nodes"] == 5


def test_analyze_management_command_exits_with_status_2_on_bad_input(files, capsys):
    files["ties"].write_text("source,target\nanna,anna\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        call_command("analyze", str(files["people"]), str(files["ties"]))
    assert caught.value.code == 2
    assert "names themselves" in capsys.readouterr().err


CELLS = st.sampled_from(
    [
        "anna",
        "bo",
        "cai",
        "zed",
        "",
        "3",
        "4,5",
        "0",
        "strong",
        "weak",
        "public",
        "kolmas",
        "x",
        '"',
        "\x00",
        "nan",
        "-1",
        " ",
        "ä",
        ";",
        ",",
    ]
)
HEADERS = st.sampled_from(
    [
        "id",
        "email",
        "organization",
        "sector",
        "source",
        "target",
        "level",
        "strength",
        "trust",
        "knowing",
        "commitment",
        "theme",
        "",
        "ID",
    ]
)


def table(header, rows, delimiter) -> str:
    return "\n".join(delimiter.join(r) for r in [header, *rows]) + "\n"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people_header=st.one_of(
        st.lists(HEADERS, max_size=5),
        st.lists(HEADERS, max_size=2).map(lambda extra: ["id", "organization", "sector", *extra]),
    ),
    ties_header=st.one_of(
        st.lists(HEADERS, max_size=5),
        st.lists(HEADERS, max_size=3).map(lambda extra: ["source", "target", *extra]),
    ),
    rows=st.lists(st.lists(CELLS, max_size=6), max_size=6),
    delimiter=st.sampled_from([",", ";"]),
)
def test_main_never_tracebacks_on_arbitrary_csv(
    tmp_path, capsys, people_header, ties_header, rows, delimiter
):
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text(table(people_header, rows, delimiter), encoding="utf-8")
    ties.write_text(table(ties_header, rows[::-1], delimiter), encoding="utf-8")
    status = main([str(people), str(ties)])
    event(f"exit status {status}")
    captured = capsys.readouterr()
    assert status in (0, 2)
    assert "Traceback" not in captured.err
    if status == 2:
        assert captured.err.startswith("suhde analyze: error: ")
    else:
        assert json.loads(captured.out)["network"]["nodes"] >= 0


PERSON = st.sampled_from(["anna", "bo", "cai", "dan"])
PEOPLE_ROW = st.tuples(
    PERSON,
    st.sampled_from(["x", "y", ""]),
    st.sampled_from(["public", "kolmas", "third", "", "church"]),
)
TIE_ROW = st.tuples(
    st.sampled_from(["anna", "bo", "cai", "dan", "zed"]),
    PERSON,
    st.sampled_from(["1", "3", "5", "", "9"]),
    st.sampled_from(["1", "2,5", "4", "", "7"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people_rows=st.lists(PEOPLE_ROW, max_size=6), tie_rows=st.lists(TIE_ROW, max_size=8))
def test_main_reports_nearly_valid_files_or_a_located_error(
    tmp_path, capsys, people_rows, tie_rows
):
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text(table(["id", "organization", "sector"], people_rows, ","), encoding="utf-8")
    ties.write_text(table(["source", "target", "level", "trust"], tie_rows, ";"), encoding="utf-8")
    status = main([str(people), str(ties)])
    event(f"exit status {status}")
    captured = capsys.readouterr()
    if status == 0:
        report = json.loads(captured.out)
        assert report["network"]["ties"] == len(tie_rows)
        assert report["network"]["nodes"] == len(people_rows)
    else:
        assert status == 2
        assert re.match(
            r"suhde analyze: error: (people|ties)\.csv, row \d+, column '\w+': ", captured.err
        )


def test_suhde_analyze_runs_without_django_and_writes_nothing_but_its_output(files, tmp_path):
    # The entry point answers `analyze` before Django's settings load: no secret key file,
    # no data folder, no Django import.
    work = tmp_path / "work"
    work.mkdir()
    script = (
        "import sys\n"
        "from suhde.__main__ import main\n"
        f"sys.argv = ['suhde', 'analyze', {str(files['people'])!r}, {str(files['ties'])!r},"
        " '-o', 'out.json']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    status = exc.code\n"
        "print(status, 'django' in sys.modules)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=work, capture_output=True, text=True, env=env
    )
    assert result.stdout.split() == ["0", "False"], result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["out.json"]
    assert json.loads((work / "out.json").read_text())["network"]["ties"] == 5
