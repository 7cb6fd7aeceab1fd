"""The README points only inside the repository and cites the sources by title and address."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_points_at_nothing_outside_the_repository():
    text = README.read_text()

    assert "../" not in text
    # A path into one of the repository's folders must exist (URL paths like `signup/`
    # and folders that `make run` creates are not files of the repository).
    folders = {entry.name for entry in README.parent.iterdir() if entry.is_dir()}
    folders -= {"var", ".venv", ".tools", ".git"}
    for path in re.findall(r"`((?:[\w.-]+/)+[\w.-]*)`", text):
        if path.split("/")[0] in folders:
            assert (README.parent / path).exists(), path


def test_the_readme_cites_both_articles_by_title_and_address():
    text = README.read_text()

    assert (
        "[“8 Foot Strengthening Exercises Every Runner Needs to Know”]"
        "(https://hingehealth.com/resources/articles/foot-strengthening-exercises-for-runners)"
    ) in text
    assert (
        "[“Foot Strengthening Exercises For Runners”]"
        "(https://cherrywoodfootcare.com/foot-strengthening-exercises-for-runners/)"
    ) in text
