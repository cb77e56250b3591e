from suhde.common.folding import fold, organization_key, search_terms


def test_fold_drops_case_diacritics_and_extra_spaces():
    assert fold("  Mäkelä   ÅSTRÖM ") == "makela astrom"
    assert fold("Søren Æbelø Straße") == "soren aebelo strasse"


def test_search_terms_are_folded_unique_and_bounded():
    assert search_terms("Mäkelä  makela, Paula") == ["makela", "paula"]
    assert search_terms("x " * 200) == ["x"]
    assert len(search_terms(" ".join(f"w{i}" for i in range(20)))) == 6
    assert search_terms("Paula.Rantanen@Org3.example") == ["paula.rantanen@org3.example"]


def test_organization_key_ignores_legal_form_case_punctuation_and_spacing():
    same = ["Järvelän Nuoret ry", "jarvelan nuoret", "JÄRVELÄN  NUORET R.Y.", "Järvelän-Nuoret"]
    assert {organization_key(name) for name in same} == {"jarvelannuoret"}
    assert organization_key("Oy Firma Ab") == organization_key("firma oy") == "firma"
    assert organization_key("Finlands svenska ungdom rf") == "finlandssvenskaungdom"
    assert organization_key("Ry") == "ry"  # a name that is only a legal form keeps it
    assert organization_key("Järvelän lukio") != organization_key("Järvelän ammattiopisto")
