"""Hostile files through the import's page, API and check: refused by name, nothing written.

The readers themselves are tested in tests/common/test_readers.py; their speed and memory on the
full-size bombs in bench/readers.py.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.networks.imports import Upload, import_check
from suhde.networks.models import PendingImport, Person
from tests import hostile_files as hostile

DIMENSION = (
    "The sheet declares 1,048,576 rows and 16,384 columns; "
    "the limit is 1,000,000 rows and 256 columns."
)


def test_import_check_refuses_the_dimension_bomb_by_its_declaration(world):
    plan = import_check(network=world.network, people=Upload("bomb.xlsx", hostile.dimension_bomb()))
    assert [(p.file, p.row, p.column, p.message) for p in plan.problems] == [
        ("bomb.xlsx", None, "", DIMENSION)
    ]


def test_import_check_refuses_a_zip_bomb_by_the_unpacked_limit(world):
    bomb = hostile.zip_bomb(201 * 1024 * 1024)  # about 200 kB: under the 20 MB upload limit
    plan = import_check(network=world.network, people=Upload("bomb.xlsx", bomb))
    assert [p.message for p in plan.problems] == [
        "The workbook unpacks to more than 200 MB, the limit."
    ]


def test_page_refuses_the_dimension_bomb_and_keeps_nothing(client, world):
    client.force_login(world.coordinator)
    bomb = SimpleUploadedFile("bomb.xlsx", hostile.dimension_bomb())
    response = client.post(reverse("networks:import", args=["core"]), {"people": bomb})
    assert response.status_code == 400
    assert DIMENSION in response.content.decode()
    assert not PendingImport.objects.exists()


def test_api_refuses_the_dimension_bomb_with_400(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    people = Person.objects.count()
    response = client.post(
        "/api/v1/networks/core/import",
        {"people": SimpleUploadedFile("bomb.xlsx", hostile.dimension_bomb()), "confirm": "true"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 400
    assert response.json()["problems"] == [
        {"file": "bomb.xlsx", "row": None, "column": "", "message": DIMENSION}
    ]
    assert Person.objects.count() == people


def test_nul_in_an_xlsx_cell_is_refused_with_row_and_column(world):
    strings = hostile.shared_strings("name", "email", "organization", "sector", "A_x0000_")
    header = "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCD"))
    rows = f'<row r="1">{header}</row><row r="2"><c r="A2" t="s"><v>4</v></c></row>'
    data = hostile.workbook({"people": hostile.sheet(rows)}, strings)
    plan = import_check(network=world.network, people=Upload("p.xlsx", data))
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "A", "A cell holds control characters (such as NUL) that text cannot hold.")
    ]
