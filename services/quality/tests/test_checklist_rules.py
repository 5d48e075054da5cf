"""The checklist rules on their own: no broker, no database."""
import pytest
from hypothesis import given, strategies as st

from quality.checklist import (
    FAILED, FINAL_INSPECTION_CHECKLIST, PASSED, failed_items, match_answers, outcome,
)
from svckit.errors import InvalidInput

CHECKLIST = ["Road test", "No fluid leaks", "Warning lights off"]


def answered(*failing, note="seeps at the sump plug"):
    return [{"item": item, "passed": item not in failing, "note": note if item in failing else ""}
            for item in CHECKLIST]


def test_the_standard_checklist_is_short_and_has_no_repeats():
    assert 3 <= len(FINAL_INSPECTION_CHECKLIST) <= 12
    assert len(set(FINAL_INSPECTION_CHECKLIST)) == len(FINAL_INSPECTION_CHECKLIST)
    assert all(0 < len(item) <= 100 for item in FINAL_INSPECTION_CHECKLIST)


def test_every_item_answered_passes():
    answers = match_answers(CHECKLIST, answered())
    assert list(answers) == CHECKLIST
    assert outcome(list(answers.values())) == PASSED
    assert failed_items(CHECKLIST, answers) == []


def test_one_failed_item_fails_the_inspection_and_is_listed_with_its_note():
    answers = match_answers(CHECKLIST, answered("No fluid leaks"))
    assert outcome(list(answers.values())) == FAILED
    assert failed_items(CHECKLIST, answers) == [{"item": "No fluid leaks", "note": "seeps at the sump plug"}]


def test_failed_items_follow_the_checklist_order_not_the_answer_order():
    answers = match_answers(CHECKLIST, list(reversed(answered("Road test", "Warning lights off"))))
    assert [f["item"] for f in failed_items(CHECKLIST, answers)] == ["Road test", "Warning lights off"]


def test_items_and_notes_are_matched_without_surrounding_spaces():
    answers = match_answers(CHECKLIST, [{"item": f"  {item} ", "passed": True, "note": "  ok "} for item in CHECKLIST])
    assert answers["Road test"] == {"item": "Road test", "passed": True, "note": "ok"}


def test_an_item_not_on_the_checklist_is_refused_by_name():
    with pytest.raises(InvalidInput) as refused:
        match_answers(CHECKLIST, answered() + [{"item": "Tyre pressure", "passed": True, "note": ""}])
    assert refused.value.details == {"items": ["Not on this inspection's checklist: Tyre pressure."]}
    assert "Tyre pressure" in refused.value.message


def test_unanswered_items_are_refused_by_name():
    with pytest.raises(InvalidInput) as refused:
        match_answers(CHECKLIST, answered()[:1])
    assert refused.value.details == {"items": ["Not answered: No fluid leaks, Warning lights off."]}


def test_an_item_answered_twice_is_refused():
    with pytest.raises(InvalidInput) as refused:
        match_answers(CHECKLIST, answered() + [{"item": "Road test", "passed": False, "note": "pulls left"}])
    assert refused.value.details == {"items": ["Answered more than once: Road test."]}


@pytest.mark.parametrize("note", ["", "   "])
def test_a_failed_item_without_a_note_is_refused(note):
    with pytest.raises(InvalidInput) as refused:
        match_answers(CHECKLIST, answered("Road test", note=note))
    assert refused.value.details == {"items": ["Failed without a note saying what is wrong: Road test."]}


def test_every_problem_is_named_at_once():
    answers = [{"item": "Road test", "passed": False, "note": ""}, {"item": "Wipers", "passed": True, "note": ""}]
    with pytest.raises(InvalidInput) as refused:
        match_answers(CHECKLIST, answers)
    assert refused.value.details == {"items": [
        "Not on this inspection's checklist: Wipers.",
        "Not answered: No fluid leaks, Warning lights off.",
        "Failed without a note saying what is wrong: Road test.",
    ]}


def test_no_answers_have_no_outcome():
    with pytest.raises(ValueError):
        outcome([])


@given(st.lists(st.booleans(), min_size=len(CHECKLIST), max_size=len(CHECKLIST)))
def test_passed_exactly_when_every_item_passed(verdicts):
    answers = match_answers(CHECKLIST, [{"item": item, "passed": ok, "note": "" if ok else "see photo"}
                                        for item, ok in zip(CHECKLIST, verdicts)])
    assert outcome(list(answers.values())) == (PASSED if all(verdicts) else FAILED)
    assert len(failed_items(CHECKLIST, answers)) == verdicts.count(False)
