"""The review page in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium).

The pages are made by the real commands: ``deid detect`` (pattern detector) then ``deid review``. The
DOM checks compare what the browser parsed with the texts and spans the test wrote or read back from
the detect output, never with anything the page says about itself.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from deid.cli import main
from deid.spans import Span
from deid.train.synth import generate

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# On this closed network Chromium must not try to reach anything; as root it needs --no-sandbox.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
# Texts that test the offsets: CRLF (the HTML parser turns a raw CR into LF), astral characters
# (JS counts them twice), tag-like text, a leading newline, and an empty text.
AWKWARD = {
    "crlf": "Pt called 617-555-0199.\r\nSSN 123-45-6789 on file.\r\n",
    "emoji": "😀 Zoë: mail zoe@example.org 😀, fax 617-555-0100.",
    "markup": "<b>Call</b> 617-555-0142 & ask for <PERSON>.",
    "newline": "\nMRN: 4471983 at admission.",
    "blank": "",
}

# Per document: its status, whether it is hidden, and each original text as [piece, data-spans or
# null] in document order, plus the computed background colour of each highlighted piece.
READ_DOM = """
return Array.from(document.querySelectorAll("article.doc")).map(function (doc) {
  return {
    id: doc.dataset.docId, status: doc.dataset.status, hidden: doc.hidden,
    texts: Array.from(doc.querySelectorAll(".original")).map(function (box) {
      return Array.from(box.childNodes).map(function (node) {
        return node.nodeType === Node.TEXT_NODE ? [node.data, null, null]
          : [node.textContent, node.dataset.spans, getComputedStyle(node).backgroundColor];
      });
    })
  };
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium through chromedriver; absent on a machine without them, except on CI where setup installs them."""
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} or {CHROMEDRIVER} is missing; scripts/setup.sh installs them (as root)")
        pytest.skip(f"{CHROMIUM} and {CHROMEDRIVER} are not installed (scripts/setup.sh installs them as root)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="deid-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def detect_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], list[dict]]:
    """30 documents (25 synthetic, 5 awkward) through `deid detect --detector patterns`, then `deid review --text-from`."""
    work = tmp_path_factory.mktemp("review")
    texts = {d.id: d.text for d in generate(25, seed=21, split="review")} | AWKWARD
    source = _write_jsonl(work / "in.jsonl", [{"id": k, "text": v} for k, v in texts.items()])
    _invoke("detect", "--input", str(source), "--output", str(work / "out.jsonl"), "--detector", "patterns")
    _invoke("review", "--input", str(work / "out.jsonl"), "--text-from", str(source), "--output", str(work / "review.html"))
    return work / "review.html", texts, _read_jsonl(work / "out.jsonl")


def _covered(pieces: list[list[Any]], index: int) -> tuple[int, int, str] | None:
    """Where the pieces whose data-spans hold ``index`` lie in the text, if they are one contiguous run."""
    at, hits = 0, []
    for text, spans, _ in pieces:
        if spans is not None and str(index) in spans.split():
            hits.append((at, at + len(text), text))
        at += len(text)
    if not hits or any(a[1] != b[0] for a, b in zip(hits, hits[1:])):
        return None
    return hits[0][0], hits[-1][1], "".join(h[2] for h in hits)


def test_when_detect_output_of_30_docs_is_reviewed_then_chromium_shows_each_span_exactly(
    browser: Any, detect_page: tuple[Path, dict[str, str], list[dict]]
) -> None:
    page, texts, rows = detect_page
    browser.get(page.as_uri())
    docs = {d["id"]: d for d in browser.execute_script(READ_DOM)}
    assert sorted(docs) == sorted(texts) and len(docs) == 30
    assert sum(len(r["spans"]) for r in rows) >= 30  # the pattern detector found enough to check
    swatches = dict(
        browser.execute_script(
            "return Array.from(document.querySelectorAll('#entities .bar-row')).map("
            "function (row) { return [row.dataset.label, getComputedStyle(row.querySelector('.bar')).backgroundColor]; });"
        )
    )
    for row in rows:
        shown = docs[row["id"]]
        assert shown["status"] == row["status"] and not shown["hidden"]
        text = texts[row["id"]]
        if not text:
            assert shown["texts"] == []
            continue
        [pieces] = shown["texts"]
        assert "".join(p[0] for p in pieces) == text  # every character, CR and astral ones included
        for i, raw in enumerate(row["spans"]):
            span = Span.from_dict(raw)
            assert _covered(pieces, i) == (span.start, span.end, text[span.start : span.end]), f"{row['id']} span {i}"
        for piece_text, spans, colour in pieces:
            if spans is not None:
                label = row["spans"][int(spans.split()[0])]["label"]
                assert colour == swatches[label] and colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_when_a_span_is_hovered_then_its_label_shows(browser: Any, detect_page: tuple[Path, dict[str, str], list[dict]]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    page, _, rows = detect_page
    browser.get(page.as_uri())
    row = next(r for r in rows if r["id"] == "crlf")
    mark = browser.find_element(By.CSS_SELECTOR, 'article[data-doc-id="crlf"] mark[data-spans="0"]')
    ActionChains(browser).move_to_element(mark).perform()
    after = browser.execute_script("return getComputedStyle(arguments[0], '::after').content", mark)
    assert after == json.dumps(row["spans"][0]["label"])


@pytest.fixture(scope="module")
def gold_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """40 synthetic documents with their gold spans as detect output rows (text field), statuses mixed."""
    work = tmp_path_factory.mktemp("review-gold")
    statuses = ("ok", "ok", "fallback", "suppressed")
    rows = [
        {"id": d.id, "text": d.text, "spans": [s.to_dict() for s in d.spans], "redacted": "[REDACTED]", "status": statuses[i % 4], "fidelity": 0.9}
        for i, d in enumerate(generate(40, seed=22, split="review"))
    ]
    source = _write_jsonl(work / "gold.jsonl", rows)
    _invoke("review", "--input", str(source), "--output", str(work / "review.html"))
    return work / "review.html", rows


def _visible(browser: Any) -> set[str]:
    return {d["id"] for d in browser.execute_script(READ_DOM) if not d["hidden"]}


def test_when_filters_are_clicked_then_only_matching_documents_show(browser: Any, gold_page: tuple[Path, list[dict]]) -> None:
    from selenium.webdriver.common.by import By

    page, rows = gold_page
    browser.get(page.as_uri())
    assert _visible(browser) == {r["id"] for r in rows}

    browser.find_element(By.CSS_SELECTOR, '#status-filter input[value="ok"]').click()
    not_ok = {r["id"] for r in rows if r["status"] != "ok"}
    assert _visible(browser) == not_ok
    assert browser.find_element(By.ID, "shown-count").text == str(len(not_ok))

    label = browser.find_element(By.XPATH, '//fieldset[@id="label-filter"]/label[normalize-space(.)="PHONE_NUMBER"]/input')
    label.click()
    with_phone = {r["id"] for r in rows if r["status"] != "ok" and any(s["label"] == "PHONE_NUMBER" for s in r["spans"])}
    assert 0 < len(with_phone) < len(not_ok)
    assert _visible(browser) == with_phone

    label.click()
    browser.find_element(By.CSS_SELECTOR, '#status-filter input[value="ok"]').click()
    assert _visible(browser) == {r["id"] for r in rows}


def test_when_the_page_is_captured_then_the_phi_banner_leads_the_screenshot(browser: Any, gold_page: tuple[Path, list[dict]], tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    page, _ = gold_page
    browser.get(page.as_uri())
    shot = tmp_path / "review.png"
    assert browser.save_screenshot(str(shot))
    with image.open(shot) as png:
        red, green, blue = png.convert("RGB").getpixel((5, 5))
        assert png.size[0] >= 1000
    assert red > 150 and green < 60 and blue < 60  # the banner's #b71c1c
