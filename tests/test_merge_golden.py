"""Golden merges: `<case>.before.po` + `<case>.pot` → `<case>.after.po`, one case per behaviour."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import GOLDEN, assert_golden
from msgfmt import assert_msgfmt_accepts, msgmerge_previous, needs_msgmerge

from translate_flow import catalogs

CASES = GOLDEN / "merge"
# A case whose catalog before is the result of another case (the paragraph comes back).
BEFORE = {"comes-back": "vanished"}
# Cases where GNU msgmerge --previous writes exactly the same bytes as we do. (After an
# edit, msgmerge drops the old entry; we keep it as obsolete, so a revert gets it back.)
SAME_AS_MSGMERGE = ["same-msgid", "vanished", "comes-back"]


def _before(case: str) -> catalogs.POFile | None:
    if case in BEFORE:
        return catalogs.parse_catalog(_merge(BEFORE[case]).encode(), path=BEFORE[case])
    before = CASES / f"{case}.before.po"
    return catalogs.load_catalog(before) if before.exists() else None


def _merge(case: str) -> str:
    pot = catalogs.load_catalog(CASES / f"{case}.pot")
    old = _before(case)
    reference_file = CASES / f"{case}.ru.po"
    reference = (
        catalogs.reviewed_translations(catalogs.load_catalog(reference_file))
        if reference_file.exists()
        else None
    )
    po = catalogs.merge(pot, old, language="kk", reference=reference, reference_language="ru")
    return catalogs.render(po)


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.pot")))
def test_merge_matches_golden_file(case: str, update_golden: bool, tmp_path: Path) -> None:
    text = _merge(case)
    assert_golden(text, CASES / f"{case}.after.po", update_golden)
    written = tmp_path / f"{case}.po"
    written.write_text(text, encoding="utf-8")
    assert_msgfmt_accepts(written)


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.pot")))
def test_merging_twice_changes_nothing(case: str, tmp_path: Path) -> None:
    first = tmp_path / "first.po"
    first.write_text(_merge(case), encoding="utf-8")
    pot = catalogs.load_catalog(CASES / f"{case}.pot")
    again = catalogs.merge(pot, catalogs.load_catalog(first), language="kk")
    if (CASES / f"{case}.ru.po").exists():
        return  # the reference comments need the reference catalog; see the case above
    assert catalogs.render(again) == first.read_text(encoding="utf-8")


@needs_msgmerge
@pytest.mark.parametrize("case", SAME_AS_MSGMERGE)
def test_msgmerge_writes_the_same_bytes(case: str, tmp_path: Path) -> None:
    before = tmp_path / "before.po"
    old = _before(case)
    assert old is not None
    before.write_text(catalogs.render(old), encoding="utf-8")
    gnu = msgmerge_previous(before, CASES / f"{case}.pot", tmp_path / "gnu.po")
    assert gnu == _merge(case)


def test_new_catalog_has_the_headers_a_po_editor_expects() -> None:
    po = catalogs.new_catalog(catalogs.load_catalog(CASES / "new-catalog.pot"), language="ru")
    assert po.metadata["Language"] == "ru"
    assert po.metadata["Language-Team"] == "русский"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Project-Id-Version"] == "2009-12/article"


def test_number_patch_needs_each_changed_number_exactly_once() -> None:
    assert catalogs.patch_numbers("In 2009, 5 of 5.", "In 2010, 5 of 5.", "В 2009 году 5 из 5.")
    assert catalogs.patch_numbers("5 of 5.", "6 of 5.", "5 из 5.") is None
    assert catalogs.patch_numbers("in 2009", "in 2009 and 2010", "в 2009") is None
    assert catalogs.patch_numbers("2009 words", "2010 pages", "2009 слов") is None


# What the golden merges look like under the current MERGE_FORMAT. Catalogs record a digest
# of what `update` merged them from, including MERGE_FORMAT; if a code change makes the merge
# or the writer produce other files (the golden files above change), digests written by the
# older code must stop vouching for catalogs: bump catalogs.MERGE_FORMAT and record the new
# digest of the golden files here.
GOLDEN_MERGES = (1, "a014a43a901225f698fde054fb5f4e5aa14f7d27")


def test_merge_format_is_bumped_when_the_merged_files_change() -> None:
    digest = hashlib.sha1()
    for after in sorted(CASES.glob("*.after.po")):
        digest.update(after.name.encode() + b"\0" + after.read_bytes())
    assert (catalogs.MERGE_FORMAT, digest.hexdigest()) == GOLDEN_MERGES, (
        "the golden merges changed: bump catalogs.MERGE_FORMAT and update GOLDEN_MERGES"
    )
