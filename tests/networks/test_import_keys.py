"""Import keys are the file's own (issue 12, point 4).

A file's ``id`` is never a database id: Gephi numbers its nodes 0…n, registers use ``E-1043``,
some files use names. Each is remembered per network, so the same file again changes nothing,
and a file can never reach anyone outside the network it is imported into. A row that would
change someone the importer may not change is listed as not applied, and the rest is written.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.networks.domain import network_create
from suhde.networks.imports import ImportRefused, Upload, import_apply, import_check
from suhde.networks.models import ExternalKey, Membership, Network, Person, Role, Tie
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, member_user


def _up(text, name="people.csv"):
    return Upload(name, text.encode("utf-8"))


def _problems(plan):
    return [(p.file, p.row, p.column, p.message) for p in plan.problems]


def _elsewhere(network):
    """Every person of every other network, every field, with their memberships there."""
    people = Person.objects.filter(memberships__in=Membership.objects.exclude(network=network))
    return (
        sorted(people.distinct().values_list()),
        sorted(Membership.objects.exclude(network=network).values_list()),
        sorted(Tie.objects.exclude(network=network).values_list()),
    )


def _registry(network):
    return (
        sorted(Person.objects.values_list()),
        sorted(Membership.objects.values_list()),
        sorted(Tie.objects.values_list()),
        sorted(ExternalKey.objects.values_list("network", "person", "key")),
    )


@pytest.fixture
def theme(world):
    """A new network that the core network's coordinator makes: she is its first member."""
    return network_create(user=world.coordinator, name="Theme", slug="theme")


def _gephi(count):
    """A node table and an edge table as Gephi's data laboratory exports them."""
    nodes = "Id,Label,timeset,modularity_class\n" + "".join(
        f"{i},Node {i},,{i % 3}\n" for i in range(count)
    )
    edges = "Source,Target,Type,Id,Label,timeset,Weight\n" + "".join(
        f"{i},{(i + 1) % count},Directed,{i},,,1.0\n" for i in range(count)
    )
    return _up(nodes, "nodes.csv"), _up(edges, "edges.csv")


def test_a_gephi_file_numbered_like_the_database_touches_nobody_in_another_network(world, theme):
    # Numbered past every person id there is: each of them would have been "found" before.
    count = Person.objects.order_by("-pk").first().pk + 3
    before = _elsewhere(theme)
    creator = world.coordinator.person
    nodes, edges = _gephi(count)
    plan = import_check(network=theme, people=nodes, ties=edges, user=world.coordinator)
    assert plan.problems == []
    assert plan.counts()["people"] == {
        "created": count,
        "updated": 0,
        "unchanged": 0,
        "not_applied": 0,
        "joined": 0,
    }
    assert [(p.file, p.column, p.message) for p in plan.ignored] == [
        ("edges.csv", "Id", "Not imported: not a column Suhde reads."),
        ("edges.csv", "Label", "Not imported: not a column Suhde reads."),
        ("edges.csv", "timeset", "Not imported: not a column Suhde reads."),
        ("nodes.csv", "timeset", "Not imported: the column is empty."),
    ]  # Type is read as the direction and Weight as the strength
    assert plan.fields_created() == [
        {"name": "modularity_class", "kind": "number", "column": "modularity_class"}
    ]
    summary = import_apply(network=theme, people=nodes, ties=edges, user=world.coordinator)
    assert summary["people"]["created"] == count
    assert summary["ties"]["created"] == count
    assert _elsewhere(theme) == before
    creator.refresh_from_db()
    assert (creator.name, creator.email) == ("coord", world.coordinator.person.email)
    assert theme.memberships.get(person=creator).role == Role.COORDINATOR
    assert ExternalKey.objects.filter(network=theme).count() == count
    assert Tie.objects.get(network=theme, source__name="Node 0").target.name == "Node 1"


def test_the_same_gephi_file_again_changes_nothing(world, theme):
    nodes, edges = _gephi(40)
    import_apply(network=theme, people=nodes, ties=edges, user=world.coordinator)
    registry = _registry(theme)
    plan = import_check(network=theme, people=nodes, ties=edges, user=world.coordinator)
    counts = plan.counts()
    assert (counts["people"]["created"], counts["people"]["updated"]) == (0, 0)
    assert (counts["ties"]["created"], counts["ties"]["updated"]) == (0, 0)
    assert counts["people"]["unchanged"] == 40
    import_apply(network=theme, people=nodes, ties=edges, user=world.coordinator)
    assert _registry(theme) == registry


TEXT_IDS = (
    "id,name,email,organization,sector\n"
    "p12,Paula Rantanen,paula@example.fi,Järvelän kaupunki,julkinen\n"
    "E-1043,Eero Ek,,Kahvila Oy,yksityinen\n"
    "Matti Meikäläinen,Matti Meikäläinen,,,\n"
)
TEXT_TIES = "source,target,strength\np12,E-1043,strong\nE-1043,Matti Meikäläinen,weak\n"


def test_a_file_with_text_ids_imports_twice_into_a_new_network_and_changes_nothing_the_second_time(
    world, theme
):
    before = _elsewhere(theme)
    files = {"people": _up(TEXT_IDS), "ties": _up(TEXT_TIES, "ties.csv")}
    plan = import_check(network=theme, user=world.coordinator, **files)
    assert _problems(plan) == []
    assert plan.counts()["people"]["created"] == 3
    import_apply(network=theme, user=world.coordinator, **files)
    assert _elsewhere(theme) == before
    assert dict(ExternalKey.objects.filter(network=theme).values_list("key", "person__name")) == {
        "p12": "Paula Rantanen",
        "E-1043": "Eero Ek",
        "Matti Meikäläinen": "Matti Meikäläinen",
    }
    registry = _registry(theme)
    again = import_check(network=theme, user=world.coordinator, **files).counts()
    assert again["people"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "not_applied": 0,
        "joined": 0,
    }
    assert again["ties"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "not_applied": 0,
        "joined": 0,
    }
    assert again["organizations"]["created"] == 0
    import_apply(network=theme, user=world.coordinator, **files)
    assert _registry(theme) == registry


def test_an_edited_file_updates_the_people_its_ids_found(world, theme):
    import_apply(network=theme, people=_up(TEXT_IDS), user=world.coordinator)
    edited = TEXT_IDS.replace("Eero Ek,", "Eero Ekström,")
    plan = import_check(network=theme, people=_up(edited), user=world.coordinator)
    assert plan.counts()["people"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "not_applied": 0,
        "joined": 0,
    }
    import_apply(network=theme, people=_up(edited), user=world.coordinator)
    assert ExternalKey.objects.get(network=theme, key="E-1043").person.name == "Eero Ekström"


def test_a_key_means_nothing_in_another_network(world, theme):
    import_apply(network=theme, people=_up(TEXT_IDS), user=world.coordinator)
    paula = ExternalKey.objects.get(network=theme, key="p12").person
    text = "id,name\np12,Someone Else\n"
    import_apply(network=world.network, people=_up(text), user=world.coordinator)
    paula.refresh_from_db()
    assert paula.name == "Paula Rantanen"
    assert world.network.memberships.filter(person__name="Someone Else").count() == 1


def test_a_database_id_in_the_file_is_only_the_files_own_key(world):
    person = world.people[0]
    text = f"id,name\n{person.pk},New Name\n"
    plan = import_check(network=world.network, people=_up(text), user=world.coordinator)
    assert plan.counts()["people"]["created"] == 1
    import_apply(network=world.network, people=_up(text), user=world.coordinator)
    person.refresh_from_db()
    assert person.name != "New Name"


def test_a_ties_file_cannot_name_a_member_by_database_id(world):
    person = world.people[0]
    ties = f"source,target\n{person.pk},{world.people[1].email}\n"
    plan = import_check(network=world.network, people=_up("name\nA\n"), ties=_up(ties, "ties.csv"))
    assert _problems(plan) == [
        (
            "ties.csv",
            2,
            "source",
            f"No person with the id or email “{person.pk}” in the people file or the network.",
        )
    ]


def test_emails_match_whatever_their_case(world):
    person = world.people[0]
    Person.objects.filter(pk=person.pk).update(email="Paula.Rantanen@Example.fi")
    text = f"name,email\n{person.name},paula.rantanen@example.FI\n"
    plan = import_check(network=world.network, people=_up(text), user=world.coordinator)
    assert plan.counts()["people"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "not_applied": 0,
        "joined": 0,
    }


# --- bad input: a message that names file, row and column; nothing changed ------------------


def _refused_and_unchanged(world, text, expected):
    before = _registry(world.network)
    plan = import_check(network=world.network, people=_up(text), user=world.coordinator)
    assert _problems(plan) == expected
    with pytest.raises(ImportRefused, match=r"people\.csv"):
        import_apply(network=world.network, people=_up(text), user=world.coordinator)
    assert _registry(world.network) == before


def test_a_key_of_101_characters_is_refused(world):
    assert (
        import_check(network=world.network, people=_up(f"id,name\n{'k' * 100},A\n")).problems == []
    )
    _refused_and_unchanged(
        world,
        f"id,name\n{'k' * 101},A\n",
        [("people.csv", 2, "id", "At most 100 characters.")],
    )


def test_two_rows_with_the_same_key_are_refused(world):
    _refused_and_unchanged(
        world,
        "id,name\nE-1,A\nE-1,B\n",
        [("people.csv", 3, "id", "The same id is already on row 2.")],
    )


def test_a_key_of_one_person_and_an_email_of_another_is_refused(world):
    a, b = world.people[0], world.people[1]
    ExternalKey.objects.create(network=world.network, person=a, key="E-7")
    _refused_and_unchanged(
        world,
        f"id,name,email\nE-7,{a.name},{b.email}\n",
        [
            (
                "people.csv",
                2,
                "email",
                f"The id “E-7” belongs to {a.name} in this network, but the email to "
                f"{b.name}: correct one of them.",
            )
        ],
    )


def test_two_rows_that_find_the_same_person_are_refused(world):
    a = world.people[0]
    ExternalKey.objects.create(network=world.network, person=a, key="E-7")
    _refused_and_unchanged(
        world,
        f"id,name,email\nE-7,{a.name},\nE-8,Other,{a.email}\n",
        [("people.csv", 3, "email", f"This is {a.name}, who is already on row 2.")],
    )


def test_an_unknown_column_alone_is_no_error_and_becomes_a_field(world):
    text = "name,email,shoe size,Shoe Size 2,notes\nA,a@example.fi,42,43,\nB,b@example.fi,41,x,\n"
    plan = import_check(network=world.network, people=_up(text))
    assert plan.problems == []
    assert [(p.file, p.row, p.column, p.message) for p in plan.ignored] == [
        ("people.csv", 1, "notes", "Not imported: the column is empty."),
    ]
    assert plan.fields_created() == [
        {"name": "shoe size", "kind": "number", "column": "shoe size"},
        {"name": "Shoe Size 2", "kind": "text", "column": "Shoe Size 2"},
    ]


def test_a_misspelt_optional_column_is_ignored_with_a_suggestion(world):
    plan = import_check(network=world.network, people=_up("name,phnoe\nA,1\n"))
    assert plan.problems == []
    assert [(p.column, p.message) for p in plan.ignored] == [
        ("phnoe", "Not imported; did you mean “phone”?")
    ]


# --- rows that would change someone the importer may not change ------------------------------


def test_a_row_changing_someone_also_in_a_network_i_do_not_coordinate_is_not_applied(world):
    shared = world.people[0]
    MembershipFactory(person=shared, network=world.other)
    before = _elsewhere(world.network)
    text = (
        "name,email,phone\n"
        f"Renamed,{shared.email},\n"  # would rename and blank the phone of someone elsewhere
        "New Person,new@example.fi,\n"
    )
    plan = import_check(network=world.network, people=_up(text), user=world.coordinator)
    assert plan.problems == []
    assert plan.counts()["people"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "not_applied": 1,
        "joined": 0,
    }
    assert _not_applied(plan) == [
        (
            "people.csv",
            2,
            "name",
            f"Not applied: {shared.name} is also in a network you do not coordinate, so only "
            "its coordinators can change their details; nothing on this row is written.",
        )
    ]
    summary = import_apply(network=world.network, people=_up(text), user=world.coordinator)
    assert summary["people"]["not_applied"] == 1
    assert summary["not_applied"][0]["row"] == 2
    assert _elsewhere(world.network) == before
    assert world.network.memberships.filter(person__email="new@example.fi").exists()


def _not_applied(plan):
    return [(p.file, p.row, p.column, p.message) for p in plan.not_applied]


def test_a_row_changing_someone_with_an_account_is_not_applied_unless_it_is_me(world):
    member, me = world.member.person, world.coordinator.person
    text = (
        "name,email,title\n"
        f"{member.name},{member.email},Boss\n"
        f"{me.name},{me.email},Coordinator of everything\n"
    )
    plan = import_check(network=world.network, people=_up(text), user=world.coordinator)
    assert _not_applied(plan) == [
        (
            "people.csv",
            2,
            "title",
            f"Not applied: {member.name} has an account and changes their own details; "
            "nothing on this row is written.",
        )
    ]
    import_apply(network=world.network, people=_up(text), user=world.coordinator)
    member.refresh_from_db()
    me.refresh_from_db()
    assert (member.title, me.title) == ("", "Coordinator of everything")


def test_a_row_that_changes_nothing_of_a_protected_person_is_simply_unchanged(world):
    member = world.member.person
    text = f"name,email,role\n{member.name},{member.email},member\n"
    plan = import_check(network=world.network, people=_up(text), user=world.coordinator)
    assert plan.not_applied == []
    assert plan.counts()["people"]["unchanged"] == 1


def test_a_not_applied_row_changes_no_role_either(world):
    member = world.member.person
    text = f"name,email,title,role\n{member.name},{member.email},Boss,coordinator\n"
    import_apply(network=world.network, people=_up(text), user=world.coordinator)
    assert world.network.memberships.get(person=member).role == Role.MEMBER


def test_the_hostile_theme_coordinator_cannot_change_the_core_coordinator(world):
    """She coordinates only the theme network; the core coordinator is a member there too."""
    theme = Network.objects.create(name="Theme", slug="theme", parent=world.network)
    hostile = member_user(theme, Role.COORDINATOR, username="hostile")
    victim = world.coordinator.person
    bystander = PersonFactory(name="No Account", email="no.account@example.fi")
    for person in (victim, bystander):
        MembershipFactory(person=person, network=theme)
        if person is bystander:
            MembershipFactory(person=person, network=world.network)
    before = _elsewhere(theme)
    text = (
        "id,name,email\n"
        f"{victim.pk},Victim Renamed,{victim.email}\n"
        f"x,Bystander Renamed,{bystander.email}\n"
    )
    plan = import_check(network=theme, people=_up(text), user=hostile)
    assert [(p.row, p.column) for p in plan.not_applied] == [(2, "name"), (3, "name")]
    import_apply(network=theme, people=_up(text), user=hostile)
    assert _elsewhere(theme) == before
    # Her email cannot be taken through a row found by a key either.
    ExternalKey.objects.create(network=theme, person=victim, key="v")
    taken = "id,name,email\nv,coord,hostile@example.fi\n"
    plan = import_check(network=theme, people=_up(taken), user=hostile)
    assert [(p.row, p.column) for p in plan.not_applied] == [(2, "email")]
    import_apply(network=theme, people=_up(taken), user=hostile)
    assert _elsewhere(theme) == before


def test_the_command_line_changes_only_people_of_this_network_alone(world, tmp_path, capsys):
    alone, shared = world.people[0], world.people[1]
    MembershipFactory(person=shared, network=world.other)
    path = tmp_path / "people.csv"
    path.write_text(
        f"name,email\nAlone Renamed,{alone.email}\nShared Renamed,{shared.email}\n",
        encoding="utf-8",
    )
    call_command("import", "core", "--people", str(path), "--no-progress")
    out = capsys.readouterr().out
    assert "people: 0 created, 1 updated, 0 unchanged, 1 not applied" in out
    assert "people.csv, 3, name: Not applied:" in out
    alone.refresh_from_db()
    shared.refresh_from_db()
    assert (alone.name, shared.name) == ("Alone Renamed", shared.name)


# --- the page and the API say the same ------------------------------------------------------


def test_the_page_preview_lists_rows_not_applied_and_columns_ignored(client, world):
    shared = world.people[0]
    MembershipFactory(person=shared, network=world.other)
    text = f"name,email,timeset\nRenamed,{shared.email},\n"
    client.force_login(world.coordinator)
    response = client.post(
        reverse("networks:import", args=["core"]),
        {"people": SimpleUploadedFile("people.csv", text.encode())},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 row will not be applied; the rest will" in body
    assert "is also in a network you do not coordinate" in body
    assert "1 column is not imported" in body
    assert "“timeset”" in body
    assert "<td>not applied</td>" in body


def test_the_api_preview_names_rows_not_applied_and_a_second_import_changes_nothing(
    client, world, theme
):
    _, raw = api_token_create(user=world.coordinator, name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    url = "/api/v1/networks/theme/import"

    def post(confirm):
        files = {
            "people": SimpleUploadedFile("people.csv", TEXT_IDS.encode()),
            "ties": SimpleUploadedFile("ties.csv", TEXT_TIES.encode()),
        }
        return client.post(url, {**files, "confirm": confirm}, headers=headers)

    before = _elsewhere(theme)
    assert post("true").status_code == 201
    again = post("false").json()
    assert again["people"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "not_applied": 0,
        "joined": 0,
    }
    assert again["ties"]["created"] == again["ties"]["updated"] == 0
    assert again["not_applied"] == [] and again["ignored_columns"] == []
    assert _elsewhere(theme) == before
    shared = Person.objects.get(name="Paula Rantanen")
    MembershipFactory(person=shared, network=world.other)
    edited = TEXT_IDS.replace("Paula Rantanen", "Paula R.")
    response = client.post(
        url,
        {"people": SimpleUploadedFile("people.csv", edited.encode()), "confirm": "true"},
        headers=headers,
    )
    assert response.status_code == 201
    assert response.json()["not_applied"] == [
        {
            "file": "people.csv",
            "row": 2,
            "column": "name",
            "message": "Not applied: Paula Rantanen is also in a network you do not coordinate, "
            "so only its coordinators can change their details; nothing on this row is written.",
        }
    ]
    shared.refresh_from_db()
    assert shared.name == "Paula Rantanen"


# --- export → edit → import finds the same people ------------------------------------------


def test_an_exported_file_edited_and_imported_again_updates_people_without_email(world):
    from suhde.networks.exports import export_data, export_render

    quiet = PersonFactory(name="No Email", email="")
    MembershipFactory(person=quiet, network=world.network)
    data = export_data(world.network, contacts=True)
    people = export_render(data, "csv")[0].decode("utf-8-sig")
    ties = export_render(data, "csv", "ties")[0]
    key = ExternalKey.objects.get(network=world.network, person=quiet).key
    assert f"\r\n{key};No Email;" in people
    edited = people.replace(";No Email;", ";Still No Email;")
    files = {"people": _up(edited), "ties": Upload("ties.csv", ties)}
    plan = import_check(network=world.network, user=world.coordinator, **files)
    assert plan.problems == []
    counts = plan.counts()
    assert (counts["people"]["created"], counts["people"]["updated"]) == (0, 1)
    assert (counts["ties"]["created"], counts["ties"]["updated"]) == (0, 0)
    import_apply(network=world.network, user=world.coordinator, **files)
    quiet.refresh_from_db()
    assert quiet.name == "Still No Email"


def test_an_export_writes_the_ids_the_file_gave(world, theme):
    from suhde.networks.exports import export_data

    import_apply(network=theme, people=_up(TEXT_IDS), user=world.coordinator)
    data = export_data(theme, contacts=True)
    ids = {row[1]: row[0] for row in data.people}
    assert ids["Paula Rantanen"] == "p12" and ids["Eero Ek"] == "E-1043"
    assert ids["coord"] == str(world.coordinator.person.pk)
    # the same export again makes no new keys
    keys = ExternalKey.objects.count()
    assert export_data(theme, contacts=True).people == data.people
    assert ExternalKey.objects.count() == keys


def test_an_exported_key_never_takes_one_a_file_gave_someone_else(world, theme):
    from suhde.networks.exports import export_data

    creator = world.coordinator.person
    import_apply(network=theme, people=_up(f"id,name\n{creator.pk},Gephi Node\n"))
    ids = {row[1]: row[0] for row in export_data(theme, contacts=True).people}
    assert ids == {"Gephi Node": str(creator.pk), "coord": f"{creator.pk}-2"}


# --- one person across networks: a file names someone of my other networks ---------------------


def test_someone_of_my_other_network_joins_by_email_instead_of_a_second_record(world, theme):
    person = world.people[0]
    youth = OrganizationFactory(name="Järvelän Nuoret ry", sector="third", networks=[world.network])
    person.organization = youth
    person.save()
    before = _elsewhere(theme)
    people = Person.objects.count()
    text = (
        "name,email,organization,sector\n"
        f"{person.name},{person.email.upper()},jarvelan  nuoret,third\n"
    )
    plan = import_check(network=theme, people=_up(text), user=world.coordinator)
    counts = plan.counts()
    assert (counts["people"]["created"], counts["people"]["joined"]) == (0, 1)
    assert (counts["organizations"]["created"], counts["organizations"]["joined"]) == (0, 1)
    assert plan.people[0].status == "joined"
    import_apply(network=theme, people=_up(text), user=world.coordinator)
    assert Person.objects.count() == people
    assert theme.memberships.get(person=person).role == Role.MEMBER
    assert set(theme.organizations.all()) == {world.organization, youth}
    assert _elsewhere(theme) == before  # the same record, unchanged, and still in core
    again = import_check(network=theme, people=_up(text), user=world.coordinator).counts()
    assert again["people"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "not_applied": 0,
        "joined": 0,
    }


def test_a_joining_person_i_may_change_gets_the_files_details(world, theme):
    person = world.people[0]  # in core only, which I coordinate, and without an account
    text = f"name,email,title\n{person.name},{person.email},Youth worker\n"
    import_apply(network=theme, people=_up(text), user=world.coordinator)
    person.refresh_from_db()
    assert person.title == "Youth worker"


def test_a_joining_person_i_may_not_change_joins_as_they_are(world, theme):
    person = world.people[0]
    MembershipFactory(person=person, network=world.other)
    before = _elsewhere(theme)
    text = f"name,email,title\nRenamed,{person.email},Youth worker\n"
    plan = import_check(network=theme, people=_up(text), user=world.coordinator)
    assert plan.counts()["people"]["joined"] == 1
    assert _not_applied(plan) == [
        (
            "people.csv",
            2,
            "name",
            f"{person.name} joins this network as they are, without this row's changes: they "
            "are also in a network you do not coordinate, so only its coordinators can change "
            "their details.",
        )
    ]
    import_apply(network=theme, people=_up(text), user=world.coordinator)
    assert _elsewhere(theme) == before
    assert theme.memberships.filter(person=person).exists()


def test_nobody_is_found_in_a_network_i_am_not_in_or_see_no_addresses_of(world, theme):
    secret = world.other_person
    watched = PersonFactory(name="Watched", email="watched@example.fi")
    observed = Network.objects.create(name="Observed", slug="observed")
    MembershipFactory(person=watched, network=observed)
    MembershipFactory(person=world.coordinator.person, network=observed, role=Role.OBSERVER)
    before = _elsewhere(theme)
    text = f"name,email\nS,{secret.email}\nW,{watched.email}\n"
    plan = import_check(network=theme, people=_up(text), user=world.coordinator)
    assert plan.counts()["people"]["created"] == 2
    assert plan.counts()["people"]["joined"] == 0
    import_apply(network=theme, people=_up(text), user=world.coordinator)
    assert _elsewhere(theme) == before
    assert not theme.memberships.filter(person__in=[secret, watched]).exists()


def test_an_email_an_import_changes_is_in_the_audit_log_with_the_old_address(world):
    from suhde.common.models import AuditEvent

    person = world.people[0]
    old = person.email
    ExternalKey.objects.create(network=world.network, person=person, key="P-1")
    text = f"id,name,email\nP-1,{person.name},new.address@example.fi\n"
    import_apply(network=world.network, people=_up(text), user=world.coordinator)
    event = AuditEvent.objects.get(action="person_email_change", object_id=str(person.pk))
    assert event.detail == f"{old} -> new.address@example.fi"


# --- the background worker says the same; a fixed number of queries -----------------------------


def test_a_large_import_names_its_rows_not_applied_on_the_job_page_and_writes_the_rest(
    client, world, settings, django_capture_on_commit_callbacks
):
    shared = world.people[0]
    MembershipFactory(person=shared, network=world.other)
    before = _elsewhere(world.network)
    settings.SUHDE_IMPORT_BACKGROUND_BYTES = 10  # this small file stands for a large one
    client.force_login(world.coordinator)
    text = f"id,name,email,timeset\nA-1,Renamed,{shared.email},\nA-2,New,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("networks:import", args=["core"]),
            {"people": SimpleUploadedFile("people.csv", text.encode())},
        )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "1 row will not be applied; the rest will" in html
    assert f"Not applied: {shared.name} is also in a network you do not coordinate" in html
    assert "“timeset”" in html
    pending = world.network.pending_imports.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("networks:import_confirm", args=["core", pending.pk]))
    done = client.get(response["Location"]).content.decode()
    assert "1 row not applied, as the preview said" in done
    assert _elsewhere(world.network) == before
    assert ExternalKey.objects.get(network=world.network, key="A-1").person == shared
    assert world.network.memberships.filter(person__name="New").exists()


def _check_queries(world, theme, rows: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = "id,name,email,organization,sector\n" + "".join(
        f"k{i},Person {i},p{i}@example.fi,Org {i % 7},public\n" for i in range(rows)
    )
    ties = "source,target\n" + "".join(f"k{i},k{(i + 1) % rows}\n" for i in range(rows))
    with CaptureQueriesContext(connection) as captured:
        plan = import_check(
            network=theme,
            people=_up(people),
            ties=_up(ties, "ties.csv"),
            user=world.coordinator,
        )
    assert plan.problems == []
    return len(captured)


def test_checking_an_import_takes_the_same_queries_for_10_or_300_rows(world, theme):
    for i in range(3):  # people the file names who are in my other network, to be found there
        MembershipFactory(person=PersonFactory(email=f"p{i}@example.fi"), network=world.network)
    from suhde.networks.access import network_roles

    network_roles(world.coordinator)  # the caller's roles, read once per request and cached
    assert _check_queries(world, theme, 10) == _check_queries(world, theme, 300) <= 12


# --- a merge moves the keys; its undo moves them back -------------------------------------------


def test_after_a_merge_both_ids_find_the_kept_person_and_undo_gives_each_back(world, theme):
    from suhde.common.removals import removal_restore
    from suhde.networks.merge import person_merge

    text = "id,name\nE-1,Eero Ek\nE-2,Eero Ekström\n"
    import_apply(network=theme, people=_up(text), user=world.coordinator)
    first, second = (ExternalKey.objects.get(network=theme, key=k).person for k in ("E-1", "E-2"))
    removal = person_merge(user=world.coordinator, network=theme, person=second, into=first)
    assert set(ExternalKey.objects.filter(person=first).values_list("key", flat=True)) == {
        "E-1",
        "E-2",
    }
    plan = import_check(network=theme, people=_up(text), user=world.coordinator)
    assert _problems(plan) == [
        ("people.csv", 3, "id", "This is Eero Ek, who is already on row 2."),
    ]
    one = import_check(network=theme, people=_up("id,name\nE-2,Eero Ek\n"), user=world.coordinator)
    assert one.counts()["people"]["unchanged"] == 1
    removal_restore(removal=removal, user=world.coordinator)
    assert ExternalKey.objects.get(network=theme, key="E-2").person == second


def test_the_long_names_of_email_and_phone_columns_are_read(world):
    text = "nimi,sähköpostiosoite,puhelinnumero\nAino,aino@example.fi,+358 1\n"
    plan = import_check(network=world.network, people=_up(text))
    assert plan.problems == [] and plan.ignored == []
    assert (plan.people[0].email, plan.people[0].phone) == ("aino@example.fi", "+358 1")


def test_two_spellings_of_one_new_organization_in_a_file_make_one_organization(world, theme):
    text = (
        "id,name,organization,sector\n"
        "a,A,Kahvila Kukko Oy,private\n"
        "b,B,kahvila  kukko,private\n"
        "c,C,KAHVILA KUKKO,private\n"
    )
    plan = import_check(network=theme, people=_up(text), user=world.coordinator)
    assert plan.counts()["organizations"]["created"] == 1
    import_apply(network=theme, people=_up(text), user=world.coordinator)
    kukko = theme.organizations.get(name="Kahvila Kukko Oy")
    assert set(kukko.people.values_list("name", flat=True)) == {"A", "B", "C"}
    again = import_check(network=theme, people=_up(text), user=world.coordinator).counts()
    assert (again["organizations"]["created"], again["people"]["unchanged"]) == (0, 3)
