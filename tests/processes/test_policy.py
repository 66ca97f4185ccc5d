"""courses/processes.yaml: what each setting offers is data, and names only known keys."""

from lms.processes import catalogue


def test_the_shipped_policy_names_only_known_keys():
    assert catalogue.check_policy() == []


def test_every_programme_setting_is_offered():
    settings = catalogue.settings()
    for key in ("prison", "school", "housing", "health", "courts", "police",
                "neighbourhood", "youth justice", "community"):
        assert key in settings
        assert settings[key].types
        assert settings[key].harms
    assert "instant" in settings["housing"].types
    assert "returned_to_wing" in settings["prison"].outcomes
    assert settings["prison"].outcomes[0] == "agreement_reached"  # the common ones first


def test_unknown_keys_are_named():
    problems = catalogue.check_policy({
        "common_outcomes": ["smiles"],
        "settings": {"moon": {"types": ["rocket"], "harms": ["violence"]}}})
    assert problems == ["common_outcomes: unknown outcome 'smiles'",
                        "settings: unknown setting 'moon'",
                        "settings.moon.types: unknown key 'rocket'"]
