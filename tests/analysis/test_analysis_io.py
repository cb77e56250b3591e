"""Reading CSV files: accepted formats, and bad input located by file, row and column."""

from __future__ import annotations

import math

import numpy as np
import pytest

from suhde.analysis.errors import InputError
from suhde.analysis.io import load_graph, read_people

PEOPLE = "id,organization,sector\nanna,City,public\nbo,Shop,private\ncai,Club,third\n"
TIES = "source,target,strength,knowing,trust,commitment\nanna,bo,strong,4,3,2\nbo,anna,weak,,2,\n"


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(tmp_path, people: str = PEOPLE, ties: str = TIES):
    return load_graph(write(tmp_path, "people.csv", people), write(tmp_path, "ties.csv", ties))


def error(tmp_path, people: str = PEOPLE, ties: str = TIES) -> InputError:
    with pytest.raises(InputError) as caught:
        load(tmp_path, people, ties)
    return caught.value


def test_load_graph_reads_people_ties_and_ratings(tmp_path):
    g = load(tmp_path)
    assert g.ids.tolist() == ["anna", "bo", "cai"]
    assert g.labels["organization"] == ("City", "Club", "Shop")
    assert (g.source.tolist(), g.target.tolist()) == ([0, 1], [1, 0])
    assert g.strong.tolist() == [1.0, 0.0]
    assert g.ratings["knowing"][0] == 4.0 and math.isnan(g.ratings["knowing"][1])
    assert g.ratings["trust"].tolist() == [3.0, 2.0]


def test_load_graph_accepts_bom_semicolons_decimal_commas_and_finnish_sectors(tmp_path):
    people = (
        "\ufeffid;organization;sector\nanna;City;julkinen\nbo;Shop;yksityinen\ncai;Club;kolmas\n"
    )
    ties = "\ufeffsource;target;trust\nanna;bo;3,5\n"
    g = load(tmp_path, people, ties)
    assert [g.labels["sector"][c] for c in g.groups["sector"]] == ["public", "private", "third"]
    assert g.ratings["trust"].tolist() == [3.5]


def test_load_graph_uses_email_as_key_case_insensitively(tmp_path):
    people = "email,organization,sector\nAnna@x.fi,City,public\nbo@x.fi,Shop,private\n"
    g = load(tmp_path, people, "source,target\nanna@x.fi,BO@x.fi\n")
    assert g.ids.tolist() == ["anna@x.fi", "bo@x.fi"]
    assert g.m == 1


def test_load_graph_maps_levels_to_strength(tmp_path):
    ties = "source,target,level\nanna,bo,1\nbo,anna,2\nanna,cai,3\ncai,anna,5\nbo,cai,\n"
    g = load(tmp_path, ties=ties)
    assert g.strong.tolist()[:4] == [0.0, 0.0, 1.0, 1.0]
    assert math.isnan(g.strong[4])


def test_load_graph_keeps_extra_group_columns(tmp_path):
    people = "id,organization,sector,theme\nanna,City,public,youth\nbo,Shop,private,\n"
    g = load(tmp_path, people, "source,target\nanna,bo\n")
    assert g.labels["theme"] == ("youth",)
    assert g.groups["theme"].tolist() == [0, -1]


def test_load_graph_skips_blank_rows_but_counts_them_in_row_numbers(tmp_path):
    ties = "source,target\n\nanna,bo\n,\nbo,zed\n"
    err = error(tmp_path, ties=ties)
    assert (err.file, err.row, err.column) == ("ties.csv", 5, "target")


def test_load_graph_names_unknown_person_with_file_row_and_column(tmp_path):
    err = error(tmp_path, ties="source,target\nanna,bo\nanna,zed\n")
    assert (err.file, err.row, err.column) == ("ties.csv", 3, "target")
    assert "zed" in str(err)
    assert str(err).startswith("ties.csv, row 3, column 'target'")


def test_load_graph_rejects_self_tie(tmp_path):
    err = error(tmp_path, ties="source,target\nanna,bo\ncai,cai\n")
    assert (err.file, err.row, err.column) == ("ties.csv", 3, "target")
    assert "names themselves" in err.message


def test_load_graph_rejects_duplicate_tie_at_its_second_row(tmp_path):
    err = error(tmp_path, ties="source,target\nanna,bo\nbo,anna\nanna,bo\n")
    assert (err.file, err.row, err.column) == ("ties.csv", 4, "target")
    assert "'anna' → 'bo'" in err.message


@pytest.mark.parametrize("value", ["0", "5", "4.5", "abc", "nan"])
def test_load_graph_rejects_ratings_outside_one_to_four(tmp_path, value):
    err = error(tmp_path, ties=f"source,target,trust\nanna,bo,3\nbo,anna,{value}\n")
    assert (err.file, err.row, err.column) == ("ties.csv", 3, "trust")


@pytest.mark.parametrize(("column", "value"), [("level", "6"), ("level", "x"), ("strength", "big")])
def test_load_graph_rejects_bad_strength_or_level(tmp_path, column, value):
    err = error(tmp_path, ties=f"source,target,{column}\nanna,bo,{value}\n")
    assert (err.file, err.row, err.column) == ("ties.csv", 2, column)


@pytest.mark.parametrize(
    ("people", "ties", "file", "column"),
    [
        ("id,organization\nanna,City\n", "source,target\n", "people.csv", "sector"),
        ("id,sector\nanna,public\n", "source,target\n", "people.csv", "organization"),
        (PEOPLE, "source,trust\nanna,3\n", "ties.csv", "target"),
        (PEOPLE, "from,to\nanna,bo\n", "ties.csv", "source"),
    ],
)
def test_load_graph_names_missing_column_in_header_row(tmp_path, people, ties, file, column):
    err = error(tmp_path, people, ties)
    assert (err.file, err.row, err.column) == (file, 1, column)
    assert "missing column" in err.message


def test_read_people_rejects_duplicate_and_empty_ids(tmp_path):
    with pytest.raises(InputError) as dup:
        read_people(write(tmp_path, "p.csv", "id,organization,sector\na,x,public\na,y,third\n"))
    assert (dup.value.row, dup.value.column) == (3, "id")
    assert "also row 2" in dup.value.message
    with pytest.raises(InputError) as empty:
        read_people(write(tmp_path, "p.csv", "id,organization,sector\na,x,public\n,y,third\n"))
    assert (empty.value.row, empty.value.column) == (3, "id")


def test_read_people_rejects_unknown_sector(tmp_path):
    with pytest.raises(InputError) as caught:
        read_people(write(tmp_path, "p.csv", "id,organization,sector\na,x,church\n"))
    assert (caught.value.file, caught.value.row, caught.value.column) == ("p.csv", 2, "sector")


def test_read_people_rejects_empty_file_and_non_utf8(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_people(write(tmp_path, "p.csv", ""))
    with pytest.raises(InputError, match="UTF-8"):
        read_people(write(tmp_path, "p.csv", "id,organization,sector\nä,x,public\n", "latin-1"))


def test_load_graph_accepts_header_only_files_as_empty_network(tmp_path):
    g = load(tmp_path, "id,organization,sector\n", "source,target\n")
    assert (g.n, g.m) == (0, 0)


def test_load_graph_rejects_ties_when_there_are_no_people(tmp_path):
    err = error(tmp_path, "id,organization,sector\n", "source,target\nanna,bo\n")
    assert (err.file, err.row, err.column) == ("ties.csv", 2, "source")


def test_load_graph_reports_missing_file(tmp_path):
    with pytest.raises(InputError) as caught:
        load_graph(tmp_path / "nope.csv", tmp_path / "ties.csv")
    assert "nope.csv" in str(caught.value)


def test_load_graph_ratings_are_float_arrays_with_nan_for_blank(tmp_path):
    g = load(tmp_path)
    assert g.ratings["commitment"].dtype == np.float64
    assert np.isnan(g.ratings["commitment"]).tolist() == [False, True]


def labels(graph, column: str) -> list[str]:
    return [graph.labels[column][code] if code >= 0 else "" for code in graph.groups[column]]


def test_load_graph_keeps_u2028_and_nel_inside_their_cell(tmp_path):
    # Only CR and LF end a CSV row; str.splitlines() also split on these and made phantom people.
    people = "id,organization,sector\nanna,City\u2028Hall,public\nbo,Shop\x85Oy,private\n"
    g = load(tmp_path, people, "source,target\nanna,bo\n")
    assert (g.n, g.m) == (2, 1)
    assert list(g.ids) == ["anna", "bo"]
    assert labels(g, "organization") == ["City\u2028Hall", "Shop\x85Oy"]
    assert labels(g, "sector") == ["public", "private"]


def test_load_graph_reads_quoted_line_breaks_as_one_row_and_counts_rows_as_records(tmp_path):
    people = 'id,organization,sector\nanna,"City\nHall",public\nbo,Shop,private\n'
    g = load(tmp_path, people, "source,target\nanna,bo\n")
    assert labels(g, "organization") == ["City\nHall", "Shop"]
    err = error(tmp_path, people + "cai,Club,nowhere\n")
    assert (err.file, err.row, err.column) == ("people.csv", 4, "sector")


def test_load_graph_treats_composed_and_decomposed_letters_as_one_person(tmp_path):
    composed, decomposed = "\u00c5sa", "A\u030asa"
    people = f"id,organization,sector\n{composed},City,public\nbo,Shop,private\n"
    g = load(tmp_path, people, f"source,target\n{decomposed},bo\nbo,{composed}\n")
    assert (g.n, g.m) == (2, 2)
    assert list(g.ids) == ["\u00c5sa", "bo"]


def test_load_graph_reads_files_with_and_without_quotes_alike(tmp_path):
    plain = load(tmp_path, PEOPLE, "source;target;trust\r\nanna;bo;3,5\r\nbo;cai;\r\n")
    quoted = load(tmp_path, PEOPLE, 'source;target;trust\r\n"anna";bo;"3,5"\r\nbo;"cai";\r\n')
    for graph in (plain, quoted):
        assert graph.source.tolist() == [0, 1] and graph.target.tolist() == [1, 2]
        assert graph.ratings["trust"][0] == 3.5 and math.isnan(graph.ratings["trust"][1])


def test_load_graph_reads_ragged_rows_padded_and_names_rows_after_blank_lines(tmp_path):
    people = "id,organization,sector\nanna,City,public\n\nbo,Shop\n,,\ncai,Club,nowhere,extra\n"
    err = error(tmp_path, people)
    assert (err.file, err.row, err.column) == ("people.csv", 6, "sector")
    g = load(tmp_path, people.replace("nowhere", "third"), "source,target\nanna,bo\n")
    assert labels(g, "sector") == ["public", "", "third"]


def test_load_graph_reports_a_broken_csv_file_by_name(tmp_path):
    # The csv module refuses a cell over its field size limit (128 KiB) with csv.Error.
    err = error(tmp_path, 'id,organization,sector\nanna,"City' + "x" * 200_000 + '",public\n')
    assert err.file == "people.csv"
    assert "not a CSV file" in err.message
