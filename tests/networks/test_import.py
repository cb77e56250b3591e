"""Import: CSV and Excel, preview, all or nothing, idempotent, every problem named."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from suhde.accounts.domain import api_token_create
from suhde.common.jobs import job_execute
from suhde.common.models import AuditEvent, Job
from suhde.networks.imports import ImportRefused, Upload, import_apply, import_check
from suhde.networks.models import Membership, Organization, PendingImport, Person, Tie

PEOPLE = (
    "name,email,organization,sector,title,phone,role\n"
    "Aino Aalto,aino@example.fi,Järvelän kaupunki,julkinen,nuorisotyöntekijä,+358 40 1,member\n"
    "Bo Berg,bo@example.fi,Kahvila Oy,yksityinen,,,\n"
    "Cilla Cho,cilla@example.fi,Ry Ry,third,,,facilitator\n"
)
TIES = (
    "source,target,strength,knowing,trust,commitment\n"
    "aino@example.fi,bo@example.fi,strong,4,3,2\n"
    "bo@example.fi,cilla@example.fi,heikko,,,\n"
)


def _up(text, name="people.csv", encoding="utf-8"):
    return Upload(name, text.encode(encoding))


def _counts(world):
    network = world.network
    return (
        Membership.objects.filter(network=network).count(),
        Tie.objects.filter(network=network).count(),
        network.organizations.count(),
        Person.objects.count(),
    )


def _problems(world, people, ties=None):
    plan = import_check(network=world.network, people=people, ties=ties)
    return [(p.file, p.row, p.column, p.message) for p in plan.problems]


def test_import_creates_people_organizations_and_ties(world):
    counts = import_apply(network=world.network, people=_up(PEOPLE), ties=_up(TIES, "ties.csv"))
    assert counts["people"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "not_applied": 0,
        "joined": 0,
    }
    assert counts["ties"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "not_applied": 0,
        "joined": 0,
    }
    assert counts["organizations"]["created"] == 3
    aino = Person.objects.get(email="aino@example.fi")
    assert aino.organization.sector == "public"
    assert aino.phone == "+358 40 1"
    assert Membership.objects.get(person__email="cilla@example.fi").role == "facilitator"
    tie = Tie.objects.get(source=aino)
    assert (tie.target.email, tie.strength, tie.knowing, tie.trust, tie.commitment) == (
        "bo@example.fi",
        "strong",
        4,
        3,
        2,
    )
    assert Tie.objects.get(source__email="bo@example.fi").strength == "weak"


def test_import_again_updates_instead_of_duplicating(world):
    import_apply(network=world.network, people=_up(PEOPLE), ties=_up(TIES, "ties.csv"))
    before = _counts(world)
    changed = PEOPLE.replace("nuorisotyöntekijä", "johtava nuorisotyöntekijä")
    plan = import_check(network=world.network, people=_up(changed), ties=_up(TIES, "ties.csv"))
    assert plan.counts()["people"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "not_applied": 0,
        "joined": 0,
    }
    assert plan.counts()["ties"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "not_applied": 0,
        "joined": 0,
    }
    import_apply(network=world.network, people=_up(changed), ties=_up(TIES, "ties.csv"))
    assert _counts(world) == before
    assert Person.objects.get(email="aino@example.fi").title == "johtava nuorisotyöntekijä"


def test_import_finds_a_member_by_email_whatever_the_files_id(world):
    person = world.people[0]
    text = (
        "id,name,email,organization,sector\n"
        f"{person.pk},New Name,{person.email},City youth services,public\n"
    )
    plan = import_check(network=world.network, people=_up(text))
    assert plan.counts()["people"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "not_applied": 0,
        "joined": 0,
    }
    import_apply(network=world.network, people=_up(text))
    person.refresh_from_db()
    assert person.name == "New Name"


def test_import_reads_semicolons_bom_and_latin1(world):
    semicolons = PEOPLE.replace(",", ";")
    for upload in (
        Upload("a.csv", ("\ufeff" + semicolons).encode("utf-8")),
        Upload("b.csv", semicolons.encode("cp1252")),
        Upload("c.csv", PEOPLE.encode("latin-1", errors="strict")),
    ):
        plan = import_check(network=world.network, people=upload)
        assert plan.problems == []
        assert [row.name for row in plan.people] == ["Aino Aalto", "Bo Berg", "Cilla Cho"]
        assert plan.people[0].organization == "Järvelän kaupunki"


def _xlsx(rows, sheet="people", extra=None):
    workbook = Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    if extra:
        other = workbook.create_sheet(extra[0])
        for row in extra[1]:
            other.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import_reads_excel_with_both_sheets(world):
    people = [line.split(",") for line in PEOPLE.strip().split("\n")]
    ties = [line.split(",") for line in TIES.strip().split("\n")]
    data = _xlsx(people, extra=("ties", ties))
    counts = import_apply(
        network=world.network, people=Upload("n.xlsx", data), ties=Upload("n.xlsx", data)
    )
    assert counts["people"]["created"] == 3
    assert counts["ties"]["created"] == 2


# --- bad input: a clear report naming file, row and column; nothing written ------------------


def test_bad_encoding_utf16_is_named(world):
    before = _counts(world)
    problems = _problems(world, Upload("p.csv", PEOPLE.encode("utf-16")))
    assert problems == [("p.csv", None, "", "The file is in UTF-16; save it as CSV UTF-8.")]
    assert _counts(world) == before


def test_binary_file_is_not_text(world):
    problems = _problems(world, Upload("p.csv", b"name\x00\x01\x02garbage"))
    assert problems == [
        (
            "p.csv",
            None,
            "",
            "The file is not text in UTF-8 or Latin-1: save it as CSV UTF-8 or as .xlsx.",
        )
    ]


def test_missing_and_misspelt_columns(world):
    text = "nmae,email,organisation\nA,a@example.fi,X\n"
    assert _problems(world, _up(text)) == [
        ("people.csv", 1, "nmae", "Unknown column “nmae”; did you mean “name”?"),
        ("people.csv", 1, "name", "The column is missing."),
        ("people.csv", 1, "sector", "The column is missing."),
    ]


def test_duplicate_rows_and_emails(world):
    text = (
        PEOPLE + PEOPLE.split("\n")[1] + "\nAino Two,aino@example.fi,Järvelän kaupunki,public,,,\n"
    )
    assert _problems(world, _up(text)) == [
        ("people.csv", 5, "", "This row repeats row 2."),
        ("people.csv", 6, "email", "The same email is already on row 2."),
    ]


def test_unknown_sector(world):
    text = "name,email,organization,sector\nA,a@example.fi,X,julkinnen\n"
    assert _problems(world, _up(text)) == [
        (
            "people.csv",
            2,
            "sector",
            "Unknown sector “julkinnen”: use public, private or third "
            "(julkinen, yksityinen, kolmas).",
        )
    ]


def test_ties_to_unknown_people_and_self_ties(world):
    ties = (
        "source,target,strength\n"
        "aino@example.fi,nobody@example.fi,weak\n"
        "aino@example.fi,aino@example.fi,weak\n"
        "aino@example.fi,bo@example.fi,medium\n"
        "aino@example.fi,bo@example.fi,strong\n"
        "aino@example.fi,bo@example.fi,weak\n"
    )
    before = _counts(world)
    assert _problems(world, _up(PEOPLE), _up(ties, "ties.csv")) == [
        (
            "ties.csv",
            2,
            "target",
            "No person with the id or email “nobody@example.fi” in the people file or the network.",
        ),
        ("ties.csv", 3, "target", "A tie must join two different people."),
        ("ties.csv", 4, "strength", "Use weak or strong (heikko or vahva)."),
        ("ties.csv", 6, "target", "The same tie is already on row 5."),
    ]
    with pytest.raises(ImportRefused):
        import_apply(network=world.network, people=_up(PEOPLE), ties=_up(ties, "ties.csv"))
    assert _counts(world) == before  # the good people file was not written either


def test_bad_ratings_are_named(world):
    ties = "source,target,knowing,trust\naino@example.fi,bo@example.fi,5,x\n"
    assert _problems(world, _up(PEOPLE), _up(ties, "ties.csv")) == [
        ("ties.csv", 2, "knowing", "Use a whole number from 1 to 4."),
        ("ties.csv", 2, "trust", "Use a whole number from 1 to 4."),
    ]


def test_xlsx_that_is_a_zip_of_something_else(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("holiday.jpg", b"not a picture either")
    assert _problems(world, Upload("people.xlsx", out.getvalue())) == [
        (
            "people.xlsx",
            None,
            "",
            "The file is not an Excel workbook (.xlsx), though its name or content says so.",
        )
    ]


def test_a_50_mb_file_is_refused_with_a_clear_message(world):
    big = b"name,email,organization,sector\n" + b"x" * (50 * 1024 * 1024)
    assert _problems(world, Upload("big.csv", big)) == [
        ("big.csv", None, "", "The file is 50.0 MB; the limit is 20 MB.")
    ]


def test_the_page_refuses_a_50_mb_upload_with_413(client, world):
    client.force_login(world.coordinator)
    big = SimpleUploadedFile("big.csv", b"x" * (50 * 1024 * 1024), content_type="text/csv")
    response = client.post(reverse("networks:import", args=["core"]), {"people": big})
    assert response.status_code == 413
    assert "The file is 50.0 MB; the limit is 20 MB." in response.content.decode()
    assert not PendingImport.objects.exists()


def test_finnish_excel_sheet_of_200_people_with_two_errors_names_both(world):
    rows = [["nimi", "sähköposti", "organisaatio", "sektori"]]
    for i in range(200):
        sector = ("julkinen", "yksityinen", "kolmas")[i % 3]
        rows.append([f"Henkilö {i}", f"h{i}@example.fi", f"Organisaatio {i % 3}", sector])
    rows[51][3] = "valtio"  # row 52 in Excel: an unknown sector
    rows[120][1] = "ei-sähköpostia"  # row 121: not an email address
    before = _counts(world)
    problems = _problems(world, Upload("jäsenet.xlsx", _xlsx(rows, sheet="Taul1")))
    assert problems == [
        (
            "jäsenet.xlsx",
            52,
            "sector",
            "Unknown sector “valtio”: use public, private or third (julkinen, yksityinen, kolmas).",
        ),
        ("jäsenet.xlsx", 121, "email", "This is not an email address."),
    ]
    assert _counts(world) == before


# --- the page, the API and the command --------------------------------------------------------


def test_page_preview_then_confirm(client, world):
    client.force_login(world.coordinator)
    url = reverse("networks:import", args=["core"])
    files = {
        "people": SimpleUploadedFile("people.csv", PEOPLE.encode()),
        "ties": SimpleUploadedFile("ties.csv", TIES.encode()),
    }
    before = _counts(world)
    response = client.post(url, files)
    assert response.status_code == 200
    assert response.context["counts"]["people"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "not_applied": 0,
        "joined": 0,
    }
    assert _counts(world) == before  # nothing written before the confirmation
    pending = response.context["pending"]
    response = client.post(reverse("networks:import_confirm", args=["core", pending.pk]))
    assert response.status_code == 200
    html = b"".join(response.streaming_content).decode()
    assert html.count('class="import-step"') == 4  # one progress bar per step, newest shown
    assert "The import is done." in html
    assert "<li>3 people added, 0 people updated</li>" in html
    assert "<li>2 ties added, 0 ties updated</li>" in html
    assert Person.objects.filter(email="cilla@example.fi").count() == 1
    assert not PendingImport.objects.exists()


def test_confirming_a_preview_that_went_stale_writes_nothing(client, world):
    client.force_login(world.coordinator)
    text = "name,email,organization,sector\nA,a@example.fi,City youth services,third\n"
    pending = PendingImport.objects.create(
        network=world.network,
        created_by=world.coordinator,
        people_name="people.csv",
        people_data=text.encode(),
    )
    before = _counts(world)
    response = client.post(reverse("networks:import_confirm", args=["core", pending.pk]))
    html = b"".join(response.streaming_content).decode()
    assert "“City youth services” is already in the public sector." in html
    assert _counts(world) == before


def test_page_shows_problems_and_stores_nothing(client, world):
    client.force_login(world.coordinator)
    bad = "name,email,organization,sector\nA,a@example.fi,X,space\n"
    response = client.post(
        reverse("networks:import", args=["core"]),
        {"people": SimpleUploadedFile("people.csv", bad.encode())},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "1 problem: nothing was imported." in html
    assert "Unknown sector “space”" in html
    assert not PendingImport.objects.exists()


def test_another_coordinators_pending_import_cannot_be_confirmed(client, world):
    from tests.factories import member_user

    other = member_user(world.network, "coordinator", username="second")
    pending = PendingImport.objects.create(
        network=world.network, created_by=other, people_name="p.csv", people_data=PEOPLE.encode()
    )
    client.force_login(world.coordinator)
    response = client.post(reverse("networks:import_confirm", args=["core", pending.pk]))
    assert response.status_code == 404
    assert not Person.objects.filter(email="aino@example.fi").exists()


def test_templates_download(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("networks:import_template", args=["core", "people", "csv"]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").split("\r\n")[0] == (
        "id;name;email;organization;sector;title;phone;role"
    )
    response = client.get(reverse("networks:import_template", args=["core", "ties", "xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="suhde-ties.xlsx"'
    bad = client.get(reverse("networks:import_template", args=["core", "secrets", "csv"]))
    assert bad.status_code == 404


def test_api_import_preview_and_confirm(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    url = "/api/v1/networks/core/import"
    people = SimpleUploadedFile("people.csv", PEOPLE.encode())
    response = client.post(url, {"people": people}, headers=headers)
    assert response.status_code == 200
    assert response.json()["people"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "not_applied": 0,
        "joined": 0,
    }
    assert response.json()["applied"] is False
    assert not Person.objects.filter(email="aino@example.fi").exists()
    people = SimpleUploadedFile("people.csv", PEOPLE.encode())
    response = client.post(url, {"people": people, "confirm": "true"}, headers=headers)
    assert response.status_code == 201
    assert response.json()["applied"] is True
    assert Person.objects.filter(email="aino@example.fi").exists()


def test_api_import_reports_problems_with_400(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    bad = SimpleUploadedFile("people.csv", b"name,email,organization\nA,b,X\n")
    response = client.post(
        "/api/v1/networks/core/import",
        {"people": bad, "confirm": "true"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 400
    assert response.json()["problems"][0] == {
        "file": "people.csv",
        "row": 1,
        "column": "sector",
        "message": "The column is missing.",
    }


def test_command_imports_and_reports(world, tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    ties = tmp_path / "ties.csv"
    ties.write_text(TIES, encoding="utf-8")
    call_command("import", "core", "--people", str(people), "--ties", str(ties))
    out = capsys.readouterr()
    assert "people: 3 created, 0 updated, 0 unchanged" in out.out
    assert "writing ties" in out.err
    assert Tie.objects.filter(network=world.network, source__email="aino@example.fi").exists()


def test_command_refuses_bad_files_and_writes_nothing(world, tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text("name,email,organization,sector\nA,a@example.fi,X,space\n")
    before = _counts(world)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import", "core", "--people", str(people), "--no-progress")
    assert "people.csv, row 2, column “sector”" in capsys.readouterr().err
    assert _counts(world) == before


def test_import_never_changes_organizations_of_another_network(world):
    text = "name,email,organization,sector\nA,a@example.fi,Far away NGO,third\n"
    import_apply(network=world.network, people=_up(text))
    assert Organization.objects.filter(name="Far away NGO").count() == 2
    assert not world.other.memberships.filter(person__email="a@example.fi").exists()


def test_api_refuses_a_50_mb_upload_with_413(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    big = SimpleUploadedFile("big.csv", b"x" * (50 * 1024 * 1024))
    response = client.post(
        "/api/v1/networks/core/import", {"people": big}, headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 413
    assert response.json()["problems"][0]["message"] == "The file is 50.0 MB; the limit is 20 MB."


def test_the_people_templates_import_as_they_are(world):
    from suhde.networks.exports import template_file

    for fmt in ("csv", "xlsx"):
        body, _, name = template_file("people", fmt)
        plan = import_check(network=world.network, people=Upload(name, body))
        assert plan.problems == []
        assert [(r.name, r.sector, r.phone) for r in plan.people] == [
            ("Maija Meikäläinen", "public", "+358 40 123 4567")
        ]


def test_command_max_mb_raises_the_limit_for_that_run_only(world, tmp_path, settings, capsys):
    settings.SUHDE_IMPORT_MAX_BYTES = 100
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "core", "--people", str(people), "--no-progress")
    assert "the limit is" in capsys.readouterr().err
    call_command("import", "core", "--people", str(people), "--no-progress", "--max-mb", "1")
    assert settings.SUHDE_IMPORT_MAX_BYTES == 100
    assert Person.objects.filter(email="aino@example.fi").exists()


# --- large imports in the background worker ---------------------------------------------------


def _background_import(client, world, settings, capture, people: str, ties: str | None = TIES):
    settings.SUHDE_IMPORT_BACKGROUND_BYTES = 10  # these small files stand for large ones
    client.force_login(world.coordinator)
    files = {"people": SimpleUploadedFile("people.csv", people.encode())}
    if ties:
        files["ties"] = SimpleUploadedFile("ties.csv", ties.encode())
    with capture(execute=True):
        response = client.post(reverse("networks:import", args=["core"]), files)
    assert response.status_code == 302
    return response["Location"]


def test_a_large_import_is_checked_and_written_by_the_worker_with_the_same_result(
    client, world, settings, django_capture_on_commit_callbacks
):
    before = _counts(world)
    capture = django_capture_on_commit_callbacks
    job_page = _background_import(client, world, settings, capture, PEOPLE)
    assert job_page.startswith("/n/core/jobs/")
    page = client.get(job_page)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Preview: nothing has been written yet" in html
    assert 'hx-trigger="every 1s"' not in html  # done: no more polling
    assert _counts(world) == before  # checked, nothing written
    pending = PendingImport.objects.get()
    confirm = reverse("networks:import_confirm", args=["core", pending.pk])
    assert confirm in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm)
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "The import is done." in done
    assert "<li>3 people added, 0 people updated</li>" in done
    assert "<li>2 ties added, 0 ties updated</li>" in done
    assert Person.objects.filter(email="cilla@example.fi").count() == 1
    assert not PendingImport.objects.exists()
    assert AuditEvent.objects.filter(action="import", object_id=str(world.network.pk)).exists()


def test_a_large_import_with_problems_names_them_on_the_job_page_and_keeps_nothing(
    client, world, settings, django_capture_on_commit_callbacks
):
    bad = "name,email,organization,sector\nA,not-an-email,X,nowhere\n"
    job_page = _background_import(
        client, world, settings, django_capture_on_commit_callbacks, bad, ties=None
    )
    html = client.get(job_page).content.decode()
    assert "Nothing was imported." in html
    assert 'id="import-problems"' in html
    assert not PendingImport.objects.exists()
    job = Job.objects.get()
    assert job.state == "failed" and job.result["problems"][0]["row"] == 2


def test_a_member_cannot_follow_a_coordinators_import_job(
    client, world, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    job_page = _background_import(client, world, settings, capture, PEOPLE)
    client.force_login(world.member)
    assert client.get(job_page).status_code == 404


def test_problems_name_columns_and_values_in_the_readers_language(world):
    from django.utils import translation

    people = (
        "nimi,sähköposti,organisaatio,sektori,rooli\n"
        "Aino Aalto,aino@example.fi,Järvelän kaupunki,kunta,päällikkö\n"
        "Bo Berg,aino@example.fi,Kahvila Oy,yksityinen,jäsen\n"
    )
    with translation.override("fi"):
        plan = import_check(network=world.network, people=_up(people))
        messages = [str(problem) for problem in plan.problems]
    assert messages == [
        "people.csv, rivi 2, sarake ”sektori”: Tuntematon sektori ”kunta”: käytä arvoa julkinen, "
        "yksityinen tai kolmas.",
        "people.csv, rivi 2, sarake ”rooli”: Tuntematon rooli ”päällikkö”; roolit ovat: "
        "koordinaattori, fasilitaattori, viestijä, jäsen, tarkkailija.",
        "people.csv, rivi 3, sarake ”sähköposti”: Sama sähköposti on jo rivillä 2.",
    ]


def test_an_unknown_column_is_answered_with_the_columns_of_the_readers_language(world):
    from django.utils import translation

    with translation.override("sv"):
        problems = _problems(world, _up("namn,e-post,organisation,sektr\n"))
    assert problems == [
        ("people.csv", 1, "sektr", "Okänd kolumn ”sektr”; menade du ”sektor”?"),
        ("people.csv", 1, "sector", "Kolumnen saknas."),
    ]


def test_swedish_headers_and_values_are_read(world):
    people = (
        "namn;e-post;organisation;sektor;titel;telefon;roll\n"
        "Aino Aalto;aino@example.fi;Järvelä stad;offentlig;ungdomsarbetare;;koordinator\n"
        "Bo Berg;bo@example.fi;Café Ab;privat;;;medlem\n"
    )
    ties = (
        "källa;mål;styrka;kännedom;tillit;engagemang\naino@example.fi;bo@example.fi;stark;4;3;2\n"
    )
    counts = import_apply(network=world.network, people=_up(people), ties=_up(ties, "ties.csv"))
    assert counts["people"]["created"] == 2
    assert Membership.objects.get(person__email="aino@example.fi").role == "coordinator"
    tie = Tie.objects.get(source__email="aino@example.fi")
    assert (tie.strength, tie.knowing, tie.trust, tie.commitment) == ("strong", 4, 3, 2)


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("fi", "id;nimi;sähköposti;organisaatio;sektori;tehtävänimike;puhelin;rooli"),
        ("sv", "id;namn;e-post;organisation;sektor;titel;telefon;roll"),
        ("en", "id;name;email;organization;sector;title;phone;role"),
    ],
)
def test_import_template_speaks_the_readers_language_and_imports(world, language, header):
    from django.utils import translation

    from suhde.networks.exports import template_file

    with translation.override(language):
        body, _, name = template_file("people", "csv")
    assert body.decode("utf-8-sig").splitlines()[0] == header
    plan = import_check(network=world.network, people=Upload(name, body))
    assert plan.problems == []


def test_one_workbook_with_swedish_sheet_names_holds_both_files(world):
    from django.utils import translation

    from suhde.networks.exports import template_file

    with translation.override("sv"):
        body, _type, _name = template_file("people", "xlsx")
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["personer"]
    book = Workbook()
    people = book.active
    people.title = "personer"
    people.append(["namn", "e-post", "organisation", "sektor"])
    people.append(["Aino Aalto", "aino@example.fi", "Järvelä stad", "offentlig"])
    people.append(["Bo Berg", "bo@example.fi", "Café Ab", "privat"])
    ties = book.create_sheet("relationer")
    ties.append(["källa", "mål", "styrka"])
    ties.append(["aino@example.fi", "bo@example.fi", "svag"])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    counts = import_apply(
        network=world.network, people=Upload("b.xlsx", data), ties=Upload("b.xlsx", data)
    )
    assert (counts["people"]["created"], counts["ties"]["created"]) == (2, 1)


def test_a_coordinator_demoted_before_the_worker_confirms_imports_nothing(
    client, world, settings, django_capture_on_commit_callbacks
):
    """The worker checks the gate again: the role that confirmed may be gone when it runs."""
    capture = django_capture_on_commit_callbacks
    _background_import(client, world, settings, capture, PEOPLE)
    before = _counts(world)
    pending = PendingImport.objects.get()
    confirmed = client.post(reverse("networks:import_confirm", args=["core", pending.pk]))
    assert confirmed.status_code == 302
    Membership.objects.filter(person__user=world.coordinator).update(role="member")
    job = Job.objects.filter(kind="networks.import_apply").get()
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "You no longer have access to this network.")
    assert _counts(world) == before
    assert not AuditEvent.objects.filter(action="import").exists()
