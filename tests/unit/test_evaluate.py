"""Tests for deid.evaluate; every expected number is worked out by hand in the comment beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deid.evaluate import Document, Report, Scores, evaluate, format_report, read_documents
from deid.spans import Span

SECRET = "Zelda Quist"  # a fake name that must never reach an error message


def doc(doc_id: str, *spans: tuple[int, int, str], text: str | None = None) -> Document:
    return Document(id=doc_id, text=text, spans=tuple(Span(s, e, label) for s, e, label in spans))


def scores(s: Scores) -> tuple[float, float, float]:
    return (s.precision, s.recall, s.f1)


def approx(*values: float) -> object:
    return pytest.approx(values)


def test_when_gold_is_scored_against_itself_then_everything_is_perfect() -> None:
    gold = [doc("a", (5, 12, "NAME"), (16, 24, "PHONE")), doc("b")]
    report = evaluate(gold, gold)
    assert scores(report.strict) == approx(1.0, 1.0, 1.0)
    assert scores(report.partial) == approx(1.0, 1.0, 1.0)
    assert {label: scores(s.strict) for label, s in report.per_label.items()} == {
        "NAME": approx(1.0, 1.0, 1.0),
        "PHONE": approx(1.0, 1.0, 1.0),
    }
    assert (report.uncovered_entities, report.gold_entities, report.phi_char_recall) == (0, 2, 1.0)
    assert (report.phi_free_docs, report.phi_free_docs_with_fp, report.phi_free_fp_rate) == (1, 0, 0.0)
    assert report.documents == 2


def test_when_prediction_is_short_of_the_gold_boundary_then_strict_misses_and_partial_gives_half() -> None:
    report = evaluate([doc("a", (5, 12, "NAME"))], [doc("a", (5, 8, "NAME"))])
    assert scores(report.strict) == approx(0.0, 0.0, 0.0)
    # (0 correct + 0.5 * 1 partial) / 1 prediction, and / 1 gold span
    assert scores(report.partial) == approx(0.5, 0.5, 0.5)
    # 3 of the 7 gold characters are covered; the entity is not wholly covered
    assert report.phi_char_recall == pytest.approx(3 / 7)
    assert report.uncovered_entities == 1


def test_when_label_is_wrong_then_no_credit_but_nothing_leaks() -> None:
    report = evaluate([doc("a", (5, 12, "NAME"))], [doc("a", (5, 12, "DATE"))])
    assert scores(report.strict) == approx(0.0, 0.0, 0.0)
    assert scores(report.partial) == approx(0.0, 0.0, 0.0)
    # NAME: 1 gold, 0 predicted; DATE: 0 gold, 1 predicted; one side empty -> the undefined ratio is 0
    assert scores(report.per_label["NAME"].strict) == approx(0.0, 0.0, 0.0)
    assert scores(report.per_label["DATE"].strict) == approx(0.0, 0.0, 0.0)
    assert (report.uncovered_entities, report.phi_char_recall) == (0, 1.0)


def test_when_an_entity_is_missed_then_it_leaks_and_char_recall_is_the_covered_fraction() -> None:
    report = evaluate([doc("a", (0, 4, "NAME"), (10, 18, "PHONE"))], [doc("a", (0, 4, "NAME"))])
    # 1 correct of 1 predicted and 2 gold: P 1, R 1/2, F1 2/3
    assert scores(report.strict) == approx(1.0, 0.5, 2 / 3)
    assert (report.uncovered_entities, report.gold_entities) == (1, 2)
    # 4 of 4 + 8 gold characters covered
    assert report.phi_char_recall == pytest.approx(4 / 12)


def test_when_one_prediction_covers_two_gold_entities_then_it_is_one_partial_and_nothing_leaks() -> None:
    report = evaluate([doc("a", (0, 5, "NAME"), (6, 10, "NAME"))], [doc("a", (0, 10, "NAME"))])
    assert scores(report.strict) == approx(0.0, 0.0, 0.0)
    # one partial: P 0.5/1, R 0.5/2, F1 2 * 0.5 * 0.25 / 0.75 = 1/3
    assert scores(report.partial) == approx(0.5, 0.25, 1 / 3)
    assert (report.uncovered_entities, report.phi_chars, report.phi_char_recall) == (0, 9, 1.0)


def test_when_a_phi_free_document_gets_a_prediction_then_it_counts_as_a_false_positive_document() -> None:
    gold = [doc("a"), doc("b"), doc("c", (0, 3, "NAME"))]
    pred = [doc("a", (0, 2, "DATE")), doc("c", (0, 3, "NAME"))]
    report = evaluate(gold, pred)
    assert (report.phi_free_docs, report.phi_free_docs_with_fp, report.phi_free_fp_rate) == (2, 1, 0.5)
    # 1 correct of 2 predicted and 1 gold: P 1/2, R 1, F1 2/3
    assert scores(report.strict) == approx(0.5, 1.0, 2 / 3)
    assert report.documents == 3


def test_per_label_and_micro_scores_sum_the_labels() -> None:
    gold = [doc("a", (0, 4, "NAME"), (10, 14, "NAME"), (20, 30, "DATE"))]
    pred = [doc("a", (0, 4, "NAME"), (10, 12, "NAME"), (20, 30, "DATE"), (40, 48, "PHONE"))]
    report = evaluate(gold, pred)
    assert list(report.per_label) == ["DATE", "NAME", "PHONE"]
    assert scores(report.per_label["NAME"].strict) == approx(0.5, 0.5, 0.5)
    assert scores(report.per_label["NAME"].partial) == approx(0.75, 0.75, 0.75)  # (1 + 0.5) / 2
    assert scores(report.per_label["DATE"].partial) == approx(1.0, 1.0, 1.0)
    assert scores(report.per_label["PHONE"].strict) == approx(0.0, 0.0, 0.0)
    assert report.per_label["PHONE"].strict == Scores(correct=0, partial=0, actual=1, possible=0)
    # strict: 2 correct, 4 predicted, 3 gold: P 1/2, R 2/3, F1 4/7
    assert scores(report.strict) == approx(0.5, 2 / 3, 4 / 7)
    # partial: credit 2.5: P 5/8, R 5/6, F1 5/7
    assert scores(report.partial) == approx(5 / 8, 5 / 6, 5 / 7)


def test_when_labels_are_given_then_only_they_are_scored() -> None:
    gold = [doc("a", (0, 4, "NAME"), (10, 18, "PHONE"))]
    pred = [doc("a", (0, 4, "NAME"), (6, 8, "DATE"))]
    report = evaluate(gold, pred, labels=["NAME"])
    assert list(report.per_label) == ["NAME"]
    assert scores(report.strict) == approx(1.0, 1.0, 1.0)
    # the PHONE gold span is out of scope, so nothing leaks
    assert (report.gold_entities, report.uncovered_entities) == (1, 0)


def test_when_a_gold_document_has_no_prediction_then_it_predicts_nothing() -> None:
    report = evaluate([doc("a", (0, 4, "NAME")), doc("b")], [])
    # 0 predicted, 1 gold: P undefined -> 0, R 0
    assert scores(report.strict) == approx(0.0, 0.0, 0.0)
    assert (report.uncovered_entities, report.phi_char_recall, report.phi_free_docs_with_fp) == (1, 0.0, 0)


def test_when_there_is_nothing_on_either_side_then_scores_are_one() -> None:
    report = evaluate([doc("a")], [doc("a")])
    assert scores(report.strict) == approx(1.0, 1.0, 1.0)
    assert scores(report.partial) == approx(1.0, 1.0, 1.0)
    assert (report.phi_char_recall, report.phi_free_fp_rate) == (1.0, 0.0)


def test_when_spans_only_touch_then_they_do_not_overlap() -> None:
    report = evaluate([doc("a", (0, 5, "NAME"))], [doc("a", (5, 9, "NAME"))])
    assert scores(report.partial) == approx(0.0, 0.0, 0.0)
    assert (report.uncovered_entities, report.phi_char_recall) == (1, 0.0)


def test_when_a_long_gold_span_overlaps_by_one_character_then_it_is_partial() -> None:
    report = evaluate([doc("a", (0, 150, "ADDRESS"))], [doc("a", (149, 152, "ADDRESS"))])
    assert scores(report.partial) == approx(0.5, 0.5, 0.5)
    assert report.phi_char_recall == pytest.approx(1 / 150)


def test_when_an_exact_and_a_partial_prediction_share_a_gold_span_then_the_exact_one_wins() -> None:
    report = evaluate([doc("a", (0, 5, "NAME"))], [doc("a", (0, 3, "NAME"), (0, 5, "NAME"))])
    # the exact pair is correct; the short one finds no unpaired gold and is spurious: P 1/2, R 1
    assert scores(report.strict) == approx(0.5, 1.0, 2 / 3)
    assert scores(report.partial) == approx(0.5, 1.0, 2 / 3)


def test_when_gold_spans_overlap_then_their_characters_count_once() -> None:
    report = evaluate([doc("a", (0, 6, "NAME"), (3, 9, "NAME"))], [doc("a", (0, 3, "DATE"))])
    # union of gold is [0, 9): 9 characters, 3 covered; neither entity wholly covered
    assert (report.phi_chars, report.phi_chars_covered, report.uncovered_entities) == (9, 3, 2)


def test_when_predictions_have_unknown_ids_then_the_error_counts_them_without_naming_them() -> None:
    with pytest.raises(ValueError, match=r"^2 predicted document\(s\) have ids not in gold") as e:
        evaluate([doc("a")], [doc(SECRET), doc(SECRET + "2"), doc("a")])
    assert SECRET not in str(e.value)


def test_when_ids_repeat_in_a_sequence_then_evaluate_refuses() -> None:
    with pytest.raises(ValueError, match="1 repeated id"):
        evaluate([doc("a"), doc("a")], [])


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_documents_keeps_id_text_and_sorted_unique_spans_and_ignores_extra_keys(tmp_path: Path) -> None:
    text = "Zoë Ng\r\nseen"
    path = write_lines(
        tmp_path,
        json.dumps({"id": "n1", "text": text, "spans": [{"label": "NAME", "start": 0, "end": 6}] * 2}),
        "",
        json.dumps({"id": "n2", "redacted": "[NAME]", "status": "ok", "spans": [
            {"label": "DATE", "start": 9, "end": 12}, {"label": "NAME", "start": 0, "end": 3}]}),
    )
    assert read_documents(path) == [
        Document(id="n1", text=text, spans=(Span(0, 6, "NAME"),)),
        Document(id="n2", text=None, spans=(Span(0, 3, "NAME"), Span(9, 12, "DATE"))),
    ]


GOOD = json.dumps({"id": "n0", "text": "x", "spans": []})
NAME_SPAN = {"label": "NAME", "start": 0, "end": 11}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "n1", "text": "' + SECRET, "not valid JSON"),
        (json.dumps([SECRET]), "expected a JSON object"),
        (json.dumps({"text": SECRET, "spans": []}), '"id" must be'),
        (json.dumps({"id": "n1", "text": SECRET}), '"spans" must be a list'),
        (json.dumps({"id": "n1", "text": 7, "spans": []}), '"text" must be a string'),
        (json.dumps({"id": "n1", "text": SECRET, "spans": [SECRET]}), "span 0 must be an object"),
        (json.dumps({"id": "n1", "text": SECRET, "spans": [{**NAME_SPAN, "end": 40}]}), "span 0: .*runs past"),
        (
            json.dumps({"id": "n1", "text": SECRET, "spans": [NAME_SPAN, {**NAME_SPAN, "start": SECRET}]}),
            "span 1: start",
        ),
        (json.dumps({"id": "n1", "text": SECRET, "spans": [{**NAME_SPAN, "start": 4, "end": 4}]}), "span 0: .*empty"),
        (json.dumps({"id": "n1", "text": SECRET, "spans": [{"start": 0, "end": 5}]}), "span 0: label"),
        (json.dumps({"id": "n1", "text": SECRET, "spans": [{**NAME_SPAN, "label": ""}]}), "span 0: .*label"),
    ],
)
def test_when_a_line_is_malformed_then_the_error_names_file_and_line_but_not_the_content(
    tmp_path: Path, line: str, reason: str
) -> None:
    path = write_lines(tmp_path, GOOD, line)
    with pytest.raises(ValueError, match=f"line 2: {reason}") as e:
        read_documents(path)
    assert str(path) in str(e.value)
    assert SECRET not in str(e.value)


def test_when_an_id_repeats_then_the_error_names_both_lines_but_not_the_id(tmp_path: Path) -> None:
    line = json.dumps({"id": SECRET, "spans": []})
    path = write_lines(tmp_path, line, GOOD, line)
    with pytest.raises(ValueError, match="line 3: id repeats the one on line 1") as e:
        read_documents(path)
    assert SECRET not in str(e.value)


def test_format_report_shows_label_rows_then_micro_then_leak_figures() -> None:
    gold = [doc("a", (5, 12, "NAME"), (16, 24, "PHONE")), doc("b")]
    lines = format_report(evaluate(gold, gold)).splitlines()
    names = [line.split()[0] for line in lines if line.split()[:1] in (["NAME"], ["PHONE"], ["micro"])]
    assert names == ["NAME", "PHONE", "micro"]
    micro = next(line for line in lines if line.startswith("micro"))
    assert micro.split() == ["micro", "2"] + ["1.000"] * 6
    assert "leaked entities (a letter or digit visible): 0 of 2 (0.00%)" in lines
    assert "entities not fully covered: 0 of 2" in lines
    assert "PHI-free documents with a prediction: 0 of 1 (0.000)" in lines


def test_format_report_shows_partial_credit_with_three_decimals() -> None:
    report = evaluate([doc("a", (5, 12, "NAME"))], [doc("a", (5, 8, "NAME"))])
    micro = next(line for line in format_report(report).splitlines() if line.startswith("micro"))
    assert micro.split() == ["micro", "1", "0.000", "0.000", "0.000", "0.500", "0.500", "0.500"]
    assert "PHI character recall: 0.429 (3/7 characters)" in format_report(report)


def test_to_dict_is_json_ready_and_carries_the_derived_figures() -> None:
    report: Report = evaluate([doc("a", (0, 4, "NAME"), (10, 18, "PHONE"))], [doc("a", (0, 4, "NAME"))])
    d = json.loads(json.dumps(report.to_dict()))
    assert d["per_label"]["PHONE"]["strict"] == {
        "correct": 0, "partial": 0, "actual": 0, "possible": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0,
    }
    assert (d["uncovered_entities"], d["gold_entities"], d["documents"]) == (1, 2, 1)
    assert d["phi_char_recall"] == pytest.approx(1 / 3)
    assert d["phi_free_fp_rate"] == 0.0
    assert d["strict"]["recall"] == 0.5


def _doc(text: str, *spans: tuple[int, int, str]) -> Document:
    return Document("d", text, tuple(Span(*s) for s in spans))


@pytest.mark.parametrize(
    ("text", "gold", "pred", "leaked", "uncovered"),
    [
        # the title and the initial's period stay visible: not a leak, but not fully covered
        ("Seen by Mr. James T. today", (8, 20, "PERSON"), [(12, 19, "PERSON")], 0, 1),
        # one digit of the value visible: a leak
        ("MRN 4471983", (4, 11, "MEDICAL_RECORD_NUMBER"), [(4, 10, "MEDICAL_RECORD_NUMBER")], 1, 1),
        # only the surrounding parenthesis of a phone uncovered: not a leak
        ("call (617) 555-0199", (5, 19, "PHONE_NUMBER"), [(6, 19, "PHONE_NUMBER")], 0, 1),
        # nothing predicted: a leak
        ("Dr. Patel", (0, 9, "PERSON"), [], 1, 1),
        # a title alone covered leaves the name: a leak
        ("Dr. Patel", (0, 9, "PERSON"), [(0, 3, "PERSON")], 1, 1),
        # the label does not matter for leaks
        ("in Fresno, CA", (3, 9, "LOCATION"), [(3, 9, "PERSON")], 0, 0),
    ],
)
def test_when_characters_stay_visible_then_only_letters_and_digits_count_as_a_leak(
    text: str, gold: tuple[int, int, str], pred: list[tuple[int, int, str]], leaked: int, uncovered: int
) -> None:
    report = evaluate([_doc(text, gold)], [_doc(text, *pred)])
    assert (report.leaked_entities, report.uncovered_entities) == (leaked, uncovered)


def test_when_predictions_cover_non_phi_then_character_precision_counts_the_excess() -> None:
    text = "Pt John Doe seen today"
    report = evaluate([_doc(text, (3, 11, "PERSON"))], [_doc(text, (0, 11, "PERSON"), (17, 22, "DATE_TIME"))])
    # predicted characters: 11 + 5 = 16, of which 8 are PHI
    assert (report.pred_chars, report.pred_chars_in_phi) == (16, 8)
    assert report.phi_char_precision == 0.5
