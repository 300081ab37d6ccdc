"""The print detector: its samples, its training and files, the rule that applies it, and the
recognizer reading with it."""
import logging
from dataclasses import replace

import cv2
import numpy as np
import pytest
from helpers import first_index_of, page_with_number
from test_printed_text import print_on

from digit_app.data.printed import font_paths
from digit_app.model.metadata import ModelError
from digit_app.model.print_data import (
    FONT_VALIDATION_EVERY,
    PrintDataConfig,
    make_print_samples,
    split_fonts,
)
from digit_app.model.print_detector import DEFAULT_PRINT_MODEL, PrintDetector
from digit_app.pipeline import PipelineConfig
from digit_app.pipeline.printed import (
    HANDWRITING,
    PRINTED_DIGIT,
    PRINTED_LETTER,
    printed_glyphs,
    printed_kinds,
)
from digit_app.recognizer import Recognizer

CFG = PipelineConfig()


# --- the rule, on boxes --------------------------------------------------------------------

def test_a_print_like_digit_on_a_line_with_a_word_is_a_printed_digit():
    # A digit, a word (rejected by the model) far along its line, and a digit on another line.
    boxes = np.array([(300, 12, 25, 38), (10, 10, 90, 40), (60, 200, 30, 40)])
    rejected = np.array([False, True, False])
    out = printed_glyphs(np.zeros(3, np.int8), boxes, rejected, np.array([0.99, np.nan, 0.99]), CFG)
    assert out.tolist() == [PRINTED_DIGIT, HANDWRITING, HANDWRITING]


def test_on_a_page_with_a_printed_word_a_print_like_digit_is_printed_on_any_line():
    # A table's row number "1", alone on its line; a printed word ("Qty") above the table.
    boxes = np.array([(60, 200, 30, 40), (10, 10, 90, 40), (300, 300, 30, 40)])
    kinds = np.array([HANDWRITING, PRINTED_LETTER, HANDWRITING], np.int8)
    out = printed_glyphs(kinds, boxes, np.array([False, True, False]), np.array([0.99, np.nan, 0.2]), CFG)
    assert out.tolist() == [PRINTED_DIGIT, PRINTED_LETTER, HANDWRITING]


def test_a_number_without_a_word_beside_it_stays_handwriting():
    boxes = np.array([(10, 10, 30, 40), (45, 10, 30, 40), (80, 10, 30, 40)])
    out = printed_glyphs(np.zeros(3, np.int8), boxes, np.zeros(3, bool), np.full(3, 0.999), CFG)
    assert (out == HANDWRITING).all()


def test_a_run_of_digits_is_print_only_when_all_of_it_looks_printed():
    # "Code" then three digits side by side; the middle one looks handwritten.
    boxes = np.array([(10, 10, 90, 40), (200, 10, 28, 40), (235, 10, 28, 40), (270, 10, 28, 40)])
    rejected = np.array([True, False, False, False])
    probs = np.array([np.nan, 0.99, 0.1, 0.99])
    out = printed_glyphs(np.zeros(4, np.int8), boxes, rejected, probs, CFG)
    assert (out == HANDWRITING).all()
    probs[2] = 0.99
    out = printed_glyphs(np.zeros(4, np.int8), boxes, rejected, probs, CFG)
    assert out.tolist() == [HANDWRITING, PRINTED_DIGIT, PRINTED_DIGIT, PRINTED_DIGIT]


def test_one_glyph_of_a_printed_run_may_look_less_printed():
    """A printed "2024" whose 2 the detector holds for print at 0.8 only: the run is print,
    as its other digits are surely; a run of which no digit is sure stays handwriting."""
    boxes = np.array([(10, 10, 90, 40), (200, 10, 28, 40), (235, 10, 28, 40), (270, 10, 28, 40)])
    rejected = np.array([True, False, False, False])
    probs = np.array([np.nan, 0.99, 0.8, 0.99])
    assert CFG.print_glyph_run_min <= 0.8 < CFG.print_glyph_threshold
    out = printed_glyphs(np.zeros(4, np.int8), boxes, rejected, probs, CFG)
    assert out.tolist() == [HANDWRITING, PRINTED_DIGIT, PRINTED_DIGIT, PRINTED_DIGIT]
    out = printed_glyphs(np.zeros(4, np.int8), boxes, rejected, np.array([np.nan, 0.8, 0.8, 0.8]), CFG)
    assert (out == HANDWRITING).all()


def test_a_printed_run_is_parted_from_the_handwriting_written_right_after_it():
    """"Room 101" and a handwritten "85" one small gap after the label's digits: the run is
    parted where print meets handwriting, and the label's digits are print."""
    boxes = np.array([(10, 10, 90, 40)] + [(120 + 32 * k, 10, 28, 40) for k in range(5)])
    rejected = np.array([True] + [False] * 5)
    probs = np.array([np.nan, 0.99, 0.98, 0.99, 0.01, 0.0])
    out = printed_glyphs(np.zeros(6, np.int8), boxes, rejected, probs, CFG)
    assert out.tolist() == [HANDWRITING] + [PRINTED_DIGIT] * 3 + [HANDWRITING] * 2
    unparted = replace(CFG, print_glyph_split_min=0)
    assert (printed_glyphs(np.zeros(6, np.int8), boxes, rejected, probs, unparted) == HANDWRITING).all()


def test_a_1_in_a_run_of_surely_printed_digits_is_print_whatever_the_detector_holds():
    """A stamped "4471" on a printed page, its 1 (a plain bar) held for print at 0.22 only:
    with three sure digits beside it, the whole run is print. A handwritten "71" whose 7
    looks printed has one sure digit: it stays handwriting, and so does the stamp without
    the digits read as 1 or with the rule turned off."""
    boxes = np.array([(10, 10, 90, 40)] + [(120 + 32 * k, 10, 28, 40) for k in range(4)]
                     + [(10, 200, 28, 40), (45, 200, 12, 40)])
    kinds = np.array([PRINTED_LETTER] + [HANDWRITING] * 6, np.int8)
    rejected = np.array([True] + [False] * 6)
    probs = np.array([np.nan, 0.97, 0.97, 0.97, 0.22, 0.95, 0.1])
    ones = np.array([False, False, False, False, True, False, True])
    out = printed_glyphs(kinds, boxes, rejected, probs, CFG, None, ones)
    assert out.tolist()[1:] == [PRINTED_DIGIT] * 4 + [HANDWRITING] * 2
    assert (printed_glyphs(kinds, boxes, rejected, probs, CFG)[1:] == HANDWRITING).all()
    off = replace(CFG, print_glyph_ones_min_sure=0)
    assert (printed_glyphs(kinds, boxes, rejected, probs, off, None, ones)[1:] == HANDWRITING).all()


def test_a_digit_set_exactly_like_the_printed_digits_beside_it_is_print():
    """A monospace "2024" after "Date", whose slashed 0 the detector holds for handwriting: the
    0 stands between printed digits of its top, height and stroke, and type sets a number's
    digits alike, so the whole year is print. Handwriting written right after a printed
    "101", 10% taller, of another stroke, or a word space after it, stays handwriting; so does
    the 0 with the rule turned off."""
    date = [(10 + 30 * k, 10, 28, 40) for k in range(4)]
    boxes = np.array(date + [(150 + 32 * k, 10, 28, 40) for k in range(4)])
    kinds = np.array([PRINTED_LETTER] * 4 + [HANDWRITING] * 4, np.int8)
    rejected = np.array([True] * 4 + [False] * 4)
    probs = np.array([np.nan] * 4 + [0.99, 0.01, 0.98, 0.999])
    strokes = np.array([5.0] * 4 + [5.1, 5.5, 5.2, 5.0])
    out = printed_glyphs(kinds, boxes, rejected, probs, CFG, strokes)
    assert out.tolist()[4:] == [PRINTED_DIGIT] * 4
    off = replace(CFG, print_alike_rel=0)
    assert printed_glyphs(kinds, boxes, rejected, probs, off, strokes).tolist()[4:] == [
        PRINTED_DIGIT, HANDWRITING, PRINTED_DIGIT, PRINTED_DIGIT]
    room = np.array([(10, 10, 90, 40)] + [(120 + 32 * k, 10, 28, 40) for k in range(3)]
                    + [(216, 6, 28, 44), (250, 6, 28, 44)])
    hand = np.array([np.nan, 0.99, 0.98, 0.99, 0.01, 0.0])
    pens = np.array([np.nan, 5.0, 5.0, 5.0, 5.0, 5.0])
    out = printed_glyphs(np.zeros(6, np.int8), room, np.array([True] + [False] * 5), hand, CFG, pens)
    assert out.tolist() == [HANDWRITING] + [PRINTED_DIGIT] * 3 + [HANDWRITING] * 2
    room[4:, 1], room[4:, 3] = 10, 40  # as tall as the label's digits, but with a thicker pen
    pens[4:] = 8.0
    out = printed_glyphs(np.zeros(6, np.int8), room, np.array([True] + [False] * 5), hand, CFG, pens)
    assert out.tolist() == [HANDWRITING] + [PRINTED_DIGIT] * 3 + [HANDWRITING] * 2
    pens[4:] = 5.0  # with the label's pen, but a word space (half its height) after it
    room[4:, 0] += 16
    out = printed_glyphs(np.zeros(6, np.int8), room, np.array([True] + [False] * 5), hand, CFG, pens)
    assert out.tolist() == [HANDWRITING] + [PRINTED_DIGIT] * 3 + [HANDWRITING] * 2


def test_a_digit_set_like_a_printed_digit_is_print_when_the_detector_is_sure_of_none():
    """A digit the print rules already called printed (a label's "7") and one set exactly
    like it right after it, which the detector holds for handwriting: with no digit the
    detector is sure of, and no word on the page, the second is print all the same."""
    boxes = np.array([(10, 10, 28, 40), (40, 10, 28, 40)])
    kinds = np.array([PRINTED_DIGIT, HANDWRITING], np.int8)
    strokes = np.array([5.0, 5.1])
    probs = np.array([np.nan, 0.1])
    out = printed_glyphs(kinds, boxes, np.zeros(2, bool), probs, CFG, strokes)
    assert out.tolist() == [PRINTED_DIGIT, PRINTED_DIGIT]
    off = replace(CFG, print_alike_rel=0)
    assert printed_glyphs(kinds, boxes, np.zeros(2, bool), probs, off, strokes).tolist() == [
        PRINTED_DIGIT, HANDWRITING]


def test_a_labels_digit_parted_alone_from_the_handwriting_after_it_is_print():
    """"Page 1" then a handwritten "57" right after the 1: the 1, held for print, written with
    the label's pen and just after its word, is the label's. A handwritten 0 that looks
    printed after a label, but written with a pen three times as thick, is not."""
    page = [(10 + 30 * k, 10, 28, 40) for k in range(4)]
    boxes = np.array(page + [(150, 10, 24, 40), (185, 8, 30, 44), (220, 8, 30, 44)])
    kinds = np.array([PRINTED_LETTER] * 4 + [HANDWRITING] * 3, np.int8)
    rejected = np.array([True] * 4 + [False] * 3)
    probs = np.array([np.nan] * 4 + [0.99, 0.01, 0.0])
    strokes = np.array([5.0] * 4 + [5.2, 9.0, 9.0])
    out = printed_glyphs(kinds, boxes, rejected, probs, CFG, strokes)
    assert out.tolist()[4:] == [PRINTED_DIGIT, HANDWRITING, HANDWRITING]
    # Two spaces on ("No.  7"), its word's round letters measuring 1.3 times its stroke.
    far = boxes.copy()
    far[4:, 0] += 60  # 82 px (about 2 of the digit's heights) after the word's last letter
    assert printed_glyphs(kinds, far, rejected, probs, CFG, np.where(np.arange(7) < 4, 6.8, strokes)
                          ).tolist()[4:] == [PRINTED_DIGIT, HANDWRITING, HANDWRITING]
    far[4:, 0] += 20  # 102 px: more than 2.5 heights
    assert (printed_glyphs(kinds, far, rejected, probs, CFG, strokes)[4:] == HANDWRITING).all()
    strokes[4] = 15.0
    assert (printed_glyphs(kinds, boxes, rejected, probs, CFG, strokes)[4:] == HANDWRITING).all()
    assert (printed_glyphs(kinds, boxes, rejected, probs, CFG)[4:] == HANDWRITING).all()


def test_a_print_like_glyph_parted_alone_just_before_a_printed_word_is_print():
    """The Z of "Zip code" read 2 (the detector sure it is print), the i after it read 1 and
    held for handwriting: the 2, parted alone, stands a word space before "code" written with
    its pen ("2 Items" alike). The i, set like the Z (its top, height and stroke), is print
    too; without that rule it stays handwriting."""
    code = [(100 + 30 * k, 18, 28, 32) for k in range(4)]
    boxes = np.array([(10, 10, 36, 40), (52, 8, 6, 42)] + code)
    kinds = np.array([HANDWRITING] * 2 + [PRINTED_LETTER] * 4, np.int8)
    rejected = np.array([False, False] + [True] * 4)
    probs = np.array([1.0, 0.01] + [np.nan] * 4)
    strokes = np.array([5.7, 4.7] + [5.1] * 4)
    out = printed_glyphs(kinds, boxes, rejected, probs, CFG, strokes)
    assert out.tolist()[:2] == [PRINTED_DIGIT, PRINTED_DIGIT]
    out = printed_glyphs(kinds, boxes, rejected, probs, replace(CFG, print_alike_rel=0), strokes)
    assert out.tolist()[:2] == [PRINTED_DIGIT, HANDWRITING]
    far = boxes.copy()
    far[2:, 0] += 60  # 114 px after the 2: more than 2.5 of its heights
    assert (printed_glyphs(kinds, far, rejected, probs, CFG, strokes)[:2] == HANDWRITING).all()


def test_one_print_like_digit_of_a_handwritten_number_is_not_parted_from_it():
    boxes = np.array([(10, 10, 90, 40)] + [(120 + 32 * k, 10, 28, 40) for k in range(4)])
    rejected = np.array([True] + [False] * 4)
    probs = np.array([np.nan, 0.01, 0.0, 0.99, 0.05])
    out = printed_glyphs(np.zeros(5, np.int8), boxes, rejected, probs, CFG)
    assert (out == HANDWRITING).all()


def test_below_the_threshold_or_not_looked_at_stays_handwriting():
    boxes = np.array([(10, 10, 30, 40), (50, 10, 30, 40), (100, 10, 90, 40)])
    rejected = np.array([False, False, True])
    probs = np.array([CFG.print_glyph_threshold - 0.01, np.nan])
    out = printed_glyphs(np.zeros(3, np.int8), boxes, rejected, probs, CFG)
    assert (out == HANDWRITING).all()


def test_letters_stay_letters_and_count_as_the_word():
    boxes = np.array([(10, 10, 30, 40), (50, 10, 30, 40)])
    kinds = np.array([PRINTED_LETTER, HANDWRITING], np.int8)
    out = printed_glyphs(kinds, boxes, np.zeros(2, bool), np.array([0.99, 0.99]), CFG)
    assert out.tolist() == [PRINTED_LETTER, PRINTED_DIGIT]


def test_reach_limits_how_far_the_word_may_be():
    boxes = np.array([(10, 10, 30, 40), (400, 10, 90, 40)])
    rejected, probs = np.array([False, True]), np.array([0.99])
    near = replace(CFG, print_glyph_reach=2.0)
    assert printed_glyphs(np.zeros(2, np.int8), boxes, rejected, probs, near)[0] == HANDWRITING
    assert printed_glyphs(np.zeros(2, np.int8), boxes, rejected, probs, CFG)[0] == PRINTED_DIGIT


def _touching_run():
    """Boxes of five pieces of a touching handwritten number, side by side on one line, the
    third of which the model rejects: set like the letters of a word."""
    boxes = np.array([(10 + 32 * k, 10, 30, 40) for k in range(5)])
    rejected = np.array([False, False, True, False, False])
    return boxes, rejected


#: The word rules without ``print_word_needs_print``, which on a page without print makes
#: handwriting of a word whose only print-looking members were cut apart.
WORD_RULES = replace(CFG, print_word_needs_print=False)


def test_a_word_of_digits_the_detector_holds_for_handwriting_is_handwriting():
    boxes, rejected = _touching_run()
    assert (printed_kinds(boxes, rejected, CFG) == PRINTED_LETTER).all()  # the word rule alone
    hand = np.array([0.01, 0.05, np.nan, 0.02, 0.1])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=hand) == HANDWRITING).all()


def test_what_the_detector_says_of_a_rejected_piece_does_not_outvote_the_digits_beside_it():
    # Two touching digits the model rejects whole look like type to the detector; the four
    # digits it reads look handwritten. With fewer digits read, the piece decides again.
    boxes, rejected = _touching_run()
    pair_looks_printed = np.array([0.01, 0.05, 0.96, 0.02, 0.1])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=pair_looks_printed) == HANDWRITING).all()
    never = replace(CFG, print_word_hand_digits=1.01)
    assert (printed_kinds(boxes, rejected, never, print_probs=pair_looks_printed)
            == PRINTED_LETTER).all()
    two_rejected = np.array([False, True, True, False, False])
    assert (printed_kinds(boxes, two_rejected, CFG, print_probs=pair_looks_printed)
            == PRINTED_LETTER).all()


def test_digits_cut_out_of_a_touching_string_do_not_outvote_the_digits_read_whole():
    """A handwritten string: two digits read whole, held for handwriting, and two cut out of
    a touching pair, one of which looks like type to the detector. The digits read whole
    decide; with only one of them, every digit read counts again."""
    boxes, rejected = _touching_run()
    probs = np.array([0.01, 0.97, np.nan, 0.05, 0.02])
    pieces = np.array([False, True, False, True, False])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=probs, pieces=pieces) == HANDWRITING).all()
    assert (printed_kinds(boxes, rejected, CFG, print_probs=probs) == PRINTED_LETTER).all()
    one_whole = np.array([False, True, False, True, True])
    assert (printed_kinds(boxes, rejected, WORD_RULES, print_probs=probs, pieces=one_whole)
            == PRINTED_LETTER).all()


def test_a_candidate_a_graph_kept_whole_is_evidence_and_a_piece_cut_from_a_touching_pair_is_not():
    """A handwritten "91719537" whose whole line went to a graph: every digit is read from
    its path (``pieces``), but only the fourth was cut out of a touching "71", and the
    detector holds that one for print. The digits the path kept uncut decide."""
    boxes, rejected = _touching_run()
    probs = np.array([0.0, 0.06, np.nan, 1.0, 0.0])
    from_graph = np.ones(5, bool)
    assert (printed_kinds(boxes, rejected, WORD_RULES, print_probs=probs, pieces=from_graph)
            == PRINTED_LETTER).all()
    cut_apart = np.array([False, False, False, True, False])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=probs, pieces=from_graph,
                          cut_apart=cut_apart) == HANDWRITING).all()


def test_on_a_page_without_print_a_word_the_detector_finds_no_print_in_is_handwriting():
    """A handwritten "3489" on a canvas whose 8 the model rejects in two pieces: three digits
    read, none of them print to the detector. On a typeset page (a printed "Date" the detector
    confirms far below) the same boxes stay a word."""
    boxes, _ = _touching_run()
    rejected = np.array([False, True, True, False, False])
    probs = np.array([0.01, np.nan, np.nan, 0.02, 0.1])
    cut = np.array([False, True, True, False, False])
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=probs, cut=cut)
    assert (kinds == HANDWRITING).all()
    off = replace(CFG, print_word_needs_print=False)
    assert (printed_kinds(boxes, rejected, off, print_probs=probs, cut=cut) == PRINTED_LETTER).all()
    date = np.array([(10 + 30 * k, 300, 28, 40) for k in range(4)])
    kinds = printed_kinds(np.concatenate([boxes, date]), np.concatenate([rejected, [True] * 4]), CFG,
                          print_probs=np.concatenate([probs, [0.99] * 4]),
                          cut=np.concatenate([cut, [False] * 4]))
    assert (kinds[:5] == PRINTED_LETTER).all()


def test_on_a_page_without_print_only_a_glyph_read_whole_and_held_for_print_keeps_a_word():
    """A handwritten "3152100" in touching pen strokes: the detector doubts a lone 1 read
    whole (0.41: not handwriting, not print either) and holds two digits cut out of the
    touching ink for print. Neither is evidence of print, so with no printed word on the page
    the run is handwriting; a glyph read whole that it holds for print keeps it a word."""
    boxes, rejected = _touching_run()
    apart = np.array([False, True, True, True, False])
    probs = np.array([0.0, 0.97, np.nan, 0.95, 0.41])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=probs, pieces=apart) == HANDWRITING).all()
    printed_one = np.array([0.0, 0.97, np.nan, 0.95, 0.95])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=printed_one, pieces=apart)
            == PRINTED_LETTER).all()


def test_a_word_stays_print_when_one_of_its_digits_looks_printed_or_most_are_rejected():
    boxes, rejected = _touching_run()
    one_printed = np.array([0.01, 0.9, np.nan, 0.02, 0.1])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=one_printed) == PRINTED_LETTER).all()
    # "Phone" with its o read as 0: one digit among four rejected letters.
    mostly_letters = np.array([True, True, False, True, True])
    probs = np.array([np.nan, np.nan, 0.01, np.nan, np.nan])
    assert (printed_kinds(boxes, mostly_letters, CFG, print_probs=probs) == PRINTED_LETTER).all()


def test_on_a_page_without_print_a_pair_of_a_handwritten_digit_and_a_rejected_piece_is_handwriting():
    """A fat-marker "01" on a canvas: the model rejects the open 0 and reads the 1, which the
    detector holds for handwriting (it was not asked about the rejected piece). Both used to
    be a printed word "Ol", so the 1 was lost. A longer word with one such digit stays print
    (an "Invoice" whose I the detector cannot tell from a 1), and so does the pair on a
    page the detector confirms print on."""
    pair = np.array([(10, 10, 30, 40), (44, 8, 14, 42)])
    rejected = np.array([True, False])
    probs = np.array([np.nan, 0.0])
    cut = np.array([True, True])
    assert (printed_kinds(pair, rejected, CFG, print_probs=probs, cut=cut) == HANDWRITING).all()
    doubtful = np.array([np.nan, 0.5])  # not held for handwriting: no evidence either way
    assert (printed_kinds(pair, rejected, CFG, print_probs=doubtful, cut=cut) == PRINTED_LETTER).all()
    boxes, _ = _touching_run()
    word = np.array([True, True, True, False, True])
    looked = np.array([np.nan, np.nan, np.nan, 0.0, np.nan])
    assert (printed_kinds(boxes, word, CFG, print_probs=looked) == PRINTED_LETTER).all()
    date = np.array([(10 + 30 * k, 300, 28, 40) for k in range(4)])
    kinds = printed_kinds(np.concatenate([pair, date]), np.concatenate([rejected, [True] * 4]), CFG,
                          print_probs=np.concatenate([probs, [0.99] * 4]),
                          cut=np.concatenate([cut, [False] * 4]))
    assert (kinds[:2] == PRINTED_LETTER).all()


def test_digits_cut_out_of_a_rejected_letter_are_print_on_a_page_with_words():
    # "No." in bold: the N, rejected whole, cut into two 1s; the o read as 0. Far below it,
    # a word the model rejects ("Date").
    no = np.array([(10, 10, 12, 40), (22, 10, 14, 40), (38, 20, 26, 30)])
    date = np.array([(10 + 30 * k, 200, 28, 40) for k in range(4)])
    boxes = np.concatenate([no, date])
    rejected = np.array([False] * 3 + [True] * 4)
    cut = np.array([True, True, False] + [False] * 4)
    looks_printed = np.array([0.9, 0.8, 0.6, 0.99, 0.99, 0.98, 0.99])
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=looks_printed, cut=cut)
    assert (kinds == PRINTED_LETTER).all()
    # Unless no glyph read whole on the page looks printed to the detector: then the word
    # below may be handwriting the model rejects, and is no evidence of print. (These boxes
    # are set like type to the pixel, a small o under the N's cap line, which is print by
    # itself with a glyph held for print: that rule is off here.)
    unsure_page = np.array([0.9, 0.8, 0.6, 0.5, np.nan, 0.3, np.nan])
    kinds = printed_kinds(boxes, rejected, replace(CFG, print_type_tol=0), print_probs=unsure_page, cut=cut)
    assert (kinds[:3] == HANDWRITING).all()
    # Cut digits the detector holds for handwriting stay digits ...
    hand = np.array([0.1, 0.05, 0.6, np.nan, np.nan, np.nan, np.nan])
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=hand, cut=cut)
    assert (kinds[:3] == HANDWRITING).all()
    # ... and so do any on a page without a printed word (two touching zeros drawn alone, set
    # as unevenly as a hand sets them).
    drawn = no + np.array([(0, 2, 0, -3), (0, -1, 0, 2), (0, 3, 0, -1)])
    kinds = printed_kinds(drawn, rejected[:3], CFG, print_probs=looks_printed[:3], cut=cut[:3])
    assert (kinds == HANDWRITING).all()
    assert (printed_kinds(drawn, rejected[:3], CFG, print_probs=looks_printed[:3], cut=cut[:3])
            == printed_kinds(drawn, rejected[:3], CFG, print_probs=looks_printed[:3])).all()


def _word_on_a_typeset_page(glyphs):
    """Boxes of ``glyphs`` boxes side by side, letter-spaced, then far below them "Date", a
    word the model rejects and the detector holds for print (read whole): a typeset page."""
    word = np.array([(10 + 44 * k, 10, 40, 40) for k in range(glyphs)])
    date = np.array([(10 + 30 * k, 300, 28, 40) for k in range(4)])
    return np.concatenate([word, date]), np.array([False] * glyphs + [True] * 4)


def test_a_printed_word_whose_touching_letters_all_read_as_digits_is_print():
    """A bold "Goods" whose letters touch, cut into digits (6 0 0 6 1 5: read from a cut,
    not out of ink the model rejected whole): the G and d the detector holds for print make
    it a word on a typeset page; the same pieces all held for handwriting are a touching
    handwritten number, and so are they on a page without a printed word."""
    boxes, rejected = _word_on_a_typeset_page(6)
    pieces = np.array([True] * 6 + [False] * 4)
    cut = np.zeros(10, bool)
    probs = np.array([1.0, 0.001, 0.005, 0.01, 0.998, 0.08] + [0.99] * 4)
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=probs, cut=cut, pieces=pieces)
    assert (kinds == PRINTED_LETTER).all()
    off = replace(CFG, print_piece_min=1.01)
    assert (printed_kinds(boxes, rejected, off, print_probs=probs, cut=cut, pieces=pieces)[:6]
            == HANDWRITING).all()
    hand = np.array([0.01] * 6 + [0.99] * 4)
    assert (printed_kinds(boxes, rejected, CFG, print_probs=hand, cut=cut, pieces=pieces)[:6]
            == HANDWRITING).all()
    assert (printed_kinds(boxes[:6], rejected[:6], CFG, print_probs=probs[:6], cut=cut[:6],
                          pieces=pieces[:6]) == HANDWRITING).all()


def test_a_word_grows_over_a_cut_piece_the_detector_holds_for_handwriting():
    """An italic "Zip" cut into 2 1 0 one word space before "code" (rejected letters, held
    for print): the p, a piece of the cut that the detector holds for handwriting, still
    belongs to the label, and so the Z and i after it; the same digits read whole, held for
    handwriting, are a number written after the label."""
    zip_ = [(10, 10, 30, 40), (44, 10, 14, 40), (62, 20, 28, 30)]
    code = [(130 + 32 * k, 20, 28, 30) for k in range(4)]
    boxes = np.array(zip_ + code)
    rejected = np.array([False] * 3 + [True] * 4)
    probs = np.array([0.9, 0.85, 0.002] + [0.99] * 4)
    pieces = np.array([True] * 3 + [False] * 4)
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=probs, cut=np.zeros(7, bool),
                          pieces=pieces)
    assert (kinds[:3] != HANDWRITING).all()
    whole = printed_kinds(boxes, rejected, CFG, print_probs=np.array([0.1, 0.1, 0.002] + [0.99] * 4),
                          cut=np.zeros(7, bool), pieces=np.zeros(7, bool))
    assert (whole[:3] == HANDWRITING).all()
    # (Set like type to the pixel, with a small p, the "Zip" is print by its own look too:
    # that rule is off here.)
    off = replace(CFG, print_grow_over_pieces=False, print_type_tol=0)
    assert (printed_kinds(boxes, rejected, off, print_probs=probs, cut=np.zeros(7, bool),
                          pieces=pieces)[:3] == HANDWRITING).all()


def test_a_word_of_small_letters_set_like_type_is_print_though_its_letters_read_as_digits():
    """An italic "Line" on a scanned form (boxes as the pipeline found them): L, i and the two
    halves of the n read as 1 1 1 7, all of which the detector holds for handwriting, the e
    rejected and held for print. Its small letters stand on one baseline under one x-height
    line to the pixel: print. A handwritten number set as unevenly as a hand sets it keeps its
    digits, and so does the word with the rule off."""
    boxes = np.array([(306, 694, 30, 54), (341, 691, 14, 56), (359, 709, 13, 38), (370, 708, 24, 39),
                      (399, 708, 32, 39)])
    rejected = np.array([False, False, False, False, True])
    probs = np.array([0.06, 0.05, 0.03, 0.0, 1.0])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=probs) == PRINTED_LETTER).all()
    off = replace(CFG, print_type_tol=0)
    assert (printed_kinds(boxes, rejected, off, print_probs=probs) == HANDWRITING).all()
    uneven = np.array([(10, 12, 30, 44), (45, 10, 28, 46), (78, 20, 30, 36), (112, 14, 30, 42)])
    hand = printed_kinds(uneven, np.array([False, False, True, False]), CFG,
                         print_probs=np.array([0.05, 0.02, 0.97, 0.1]))
    assert (hand == HANDWRITING).all()


def test_a_lone_label_whose_letters_are_cut_into_ones_is_print():
    """ "Sum" alone on a page, no other print to show the page is typeset: the S reads 5 and
    the u and m are cut apart into 1 1 and 1 7 7, none rejected. Set like type and with a glyph
    the detector holds for print, it is a word; with the cut rule asking more pieces, it is
    not."""
    boxes = np.array([(35, 59, 35, 52), (80, 73, 13, 38), (93, 73, 18, 38), (123, 73, 11, 37),
                      (133, 72, 22, 38), (155, 72, 23, 38)])
    rejected = np.zeros(6, bool)
    probs = np.array([0.99, 0.19, 0.62, 0.82, 0.97, 0.01])
    cut = np.array([False, False, False, True, True, True])
    apart = np.array([False, True, True, True, True, True])
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=probs, cut=cut, pieces=np.ones(6, bool),
                          cut_apart=apart)
    assert (kinds == PRINTED_LETTER).all()
    strict = replace(CFG, print_type_min_cut=6)
    assert (printed_kinds(boxes, rejected, strict, print_probs=probs, cut=cut, pieces=np.ones(6, bool),
                          cut_apart=apart) == HANDWRITING).all()


def test_a_lone_label_in_capitals_cut_into_ones_is_print_when_a_whole_glyph_looks_printed():
    """ "SUM" alone: the S read whole as 5, the U and M cut into 1s that abut. Its glyphs stand
    on one baseline under one cap line; with the S held for print it is a word. A piece held
    for print is no evidence (a touching string read as pairs shares its rows)."""
    boxes = np.array([(35, 59, 41, 52), (85, 60, 19, 51), (104, 60, 21, 51), (137, 60, 6, 50),
                      (143, 60, 18, 50), (161, 60, 24, 50)])
    rejected = np.zeros(6, bool)
    apart = np.array([False] + [True] * 5)
    pieces = np.ones(6, bool)
    probs = np.array([0.9, 0.03, 0.01, 0.22, 0.0, 0.43])
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=probs, cut=np.zeros(6, bool), pieces=pieces,
                          cut_apart=apart)
    assert (kinds == PRINTED_LETTER).all()
    piece_looks_printed = np.array([0.5, 0.03, 0.97, 0.22, 0.0, 0.43])
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=piece_looks_printed, cut=np.zeros(6, bool),
                          pieces=pieces, cut_apart=apart)
    assert (kinds == HANDWRITING).all()


def test_digits_after_a_rotated_stamps_word_are_print_unless_they_look_handwritten():
    """ "PAID" rising 15 degrees, then "12" a space on along the stamp's line: printed digits
    when the detector does not hold them for handwriting; handwriting when it does, and when
    only a level line may hold a label's digits."""
    slope = np.tan(np.radians(15))
    boxes = np.array([(10 + 30 * k, int(100 - slope * 30 * k), 26, 40) for k in (0, 1, 2, 3, 5, 6)])
    rejected = np.array([True] * 4 + [False] * 2)
    looks_printed = np.array([np.nan] * 4 + [0.95, 0.97])
    kinds = printed_kinds(boxes, rejected, CFG, print_probs=looks_printed)
    assert kinds.tolist() == [PRINTED_LETTER] * 4 + [PRINTED_DIGIT] * 2
    handwritten = np.array([np.nan] * 4 + [0.05, 0.05])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=handwritten)[4:] == HANDWRITING).all()
    level = replace(CFG, print_max_tilt_deg=0)
    assert (printed_kinds(boxes, rejected, level, print_probs=looks_printed)[4:] == HANDWRITING).all()


def test_a_digit_after_a_label_that_the_detector_holds_for_handwriting_is_handwriting():
    # "Total" (rejected letters), then one word space on, a digit as tall as its capitals on
    # its baseline: set like the label's own digit, "Total 1".
    word = [(10, 60, 24, 40)] + [(10 + 27 * k, 72, 24, 28) for k in range(1, 5)]
    boxes = np.array(word + [(10 + 27 * 5 + 14, 60, 24, 40)])
    rejected = np.array([True] * 5 + [False])
    cfg = PipelineConfig(print_height_tol=0.07, print_run_spread=0.06)
    assert printed_kinds(boxes, rejected, cfg)[-1] == PRINTED_DIGIT
    looks_printed = np.array([np.nan] * 5 + [0.9])
    assert printed_kinds(boxes, rejected, cfg, print_probs=looks_printed)[-1] == PRINTED_DIGIT
    handwritten = np.array([np.nan] * 5 + [0.01])
    assert printed_kinds(boxes, rejected, cfg, print_probs=handwritten)[-1] == HANDWRITING


def test_a_digit_the_model_rejects_beside_one_it_reads_is_no_word_when_both_look_handwritten():
    # A handwritten 7 the model cannot read, set close before a 0: like the N and o of "No".
    boxes = np.array([(10, 10, 30, 50), (44, 12, 34, 48)])
    rejected = np.array([True, False])
    assert (printed_kinds(boxes, rejected, CFG) == PRINTED_LETTER).all()
    hand = np.array([0.02, 0.0])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=hand) == HANDWRITING).all()
    letter = np.array([0.95, 0.0])
    assert (printed_kinds(boxes, rejected, CFG, print_probs=letter) == PRINTED_LETTER).all()


# --- samples ---------------------------------------------------------------------------------

def test_fonts_split_into_disjoint_training_and_validation_faces():
    fonts = font_paths()
    train, val = split_fonts(fonts, False), split_fonts(fonts, True)
    assert not set(train) & set(val)
    if len(fonts) >= FONT_VALIDATION_EVERY:
        assert train and val and len(train) + len(val) == len(fonts)
    assert split_fonts(fonts[:2], True) == fonts[:2]  # too few to split: all of them


def test_samples_are_normalized_crops_labelled_by_source(mnist_test):
    rng = np.random.default_rng(0)
    s = make_print_samples(mnist_test.images[:50], None, font_paths(), rng, scale=0.002,
                           cfg=PrintDataConfig())
    assert s.x.shape == (len(s), 32, 32, 1) and s.x.dtype == np.float32
    assert s.x.min() >= 0 and s.x.max() <= 1
    assert set(np.unique(s.source)) == {"printed-digit", "printed-letter", "mnist", "mouse", "styles"}
    printed = np.char.startswith(s.source, "printed")
    assert (s.y[printed] == 1).all() and (s.y[~printed] == 0).all()
    # Every crop holds ink.
    assert (s.x.reshape(len(s), -1).max(axis=1) > 0.5).all()


# --- training and files ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_detector(tmp_path_factory):
    from digit_app.model.print_training import PrintTrainConfig, train_print_model

    out = tmp_path_factory.mktemp("print") / "printed.keras"
    cfg = PrintTrainConfig(epochs=1, scale=0.008, real_data=False)
    info = train_print_model(out, cfg=cfg, command="test", log=lambda _: None)
    return out, info


def test_training_writes_the_detector_its_litert_pair_and_metadata(tiny_detector):
    out, info = tiny_detector
    for name in ("printed.keras", "printed.tflite", "printed.lite.json", "printed.json"):
        assert (out.parent / name).is_file()
    assert info.training["command"] == "test" and info.parameters > 0
    assert 0 <= info.validation["accuracy"] <= 1
    det = PrintDetector.load(out)
    p = det.predict(np.zeros((3, 32, 32, 1), np.float32))
    assert p.shape == (3,) and p.dtype == np.float32 and ((p >= 0) & (p <= 1)).all()
    assert det.predict(np.zeros((0, 32, 32, 1), np.float32)).shape == (0,)


def test_a_missing_or_damaged_detector_is_one_error_naming_the_file(tiny_detector, tmp_path):
    out, _ = tiny_detector
    with pytest.raises(ModelError, match="not found"):
        PrintDetector.load(tmp_path / "printed.keras")
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a zip")
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ModelError, match=r"bad\.json: not the metadata of a print detector"):
        PrintDetector.load(bad)
    (tmp_path / "bad.json").write_bytes((out.parent / "printed.json").read_bytes())
    with pytest.raises(ModelError, match=r"bad\.keras"):
        PrintDetector.load(bad, backend="tensorflow")


def test_the_recognizer_reads_on_without_a_detector_it_cannot_load(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        rec = Recognizer.load(print_model=tmp_path / "printed.keras")
    assert rec.print_detector is None
    assert "reading without the print detector" in caplog.text and "printed.keras" in caplog.text


# --- the recognizer with a detector ----------------------------------------------------------

class Always:
    """A stand-in detector that calls everything print with probability ``p``."""

    def __init__(self, p):
        self.p = p
        self.path = None
        self.calls = 0

    def expects(self, normalization):
        return True

    def predict(self, batch):
        self.calls += 1
        return np.full(len(batch), self.p, np.float32)


def _two_digits(label: bool = False) -> np.ndarray:
    """``H x W x 3 uint8``: a 1 and a 7 drawn with straight lines; with ``label``, the word
    "Total" printed far to their left on their line."""
    page = np.full((120, 520, 3), 255, np.uint8)
    cv2.line(page, (360, 20), (360, 100), (0, 0, 0), 6)  # a 1
    cv2.polylines(page, [np.array([(430, 20), (480, 20), (445, 100)])], False, (0, 0, 0), 6)  # a 7
    if label:
        print_on(page, "Total", 10, 100, 60, "LiberationSans-Regular.ttf")
    return page


def test_digits_the_detector_calls_print_beside_a_word_are_read_only_on_request():
    base = Recognizer.load(print_model=None)
    assert base.print_detector is None
    printed = Recognizer(base.classifier, print_detector=Always(1.0))
    # Without a detector the model alone tells the word (it may read a letter pair as a digit).
    assert "17" in [n.text for n in base.recognize(_two_digits(label=True)).numbers]
    assert printed.recognize(_two_digits(label=True)).digits == ()
    r = printed.recognize(_two_digits(label=True), replace(printed.config, read_printed=True))
    assert [n.text for n in r.numbers] == ["17"] and all(d.printed for d in r.digits)
    # A detector that holds everything for handwriting (the label's letters too, which
    # then are no printed word) leaves the 17 read as handwriting.
    handwriting = Recognizer(base.classifier, print_detector=Always(0.0))
    r = handwriting.recognize(_two_digits(label=True))
    assert "17" in [n.text for n in r.numbers] and not any(d.printed for d in r.digits)


def test_an_unsure_digit_the_detector_holds_for_print_counts_as_a_rejected_letter():
    from digit_app.recognizer import _unsure_print

    cfg = PipelineConfig()
    probs = np.zeros((4, 11), np.float32)
    probs[:, 6] = [0.48, 0.48, 0.95, 0.48]
    print_probs = np.array([1.0, 0.2, 1.0, np.nan])
    assert _unsure_print(probs, print_probs, cfg).tolist() == [True, False, False, False]
    assert not _unsure_print(probs, None, cfg).any()
    assert not _unsure_print(probs, print_probs, replace(cfg, print_unsure_letter_max=0.0)).any()


@pytest.mark.skipif(not DEFAULT_PRINT_MODEL.exists(), reason="no shipped print detector")
def test_a_printed_total_is_no_number():
    """Its touching "al" may be read as an unsure 6; the detector holds it for print."""
    texts = [n.text for n in Recognizer.load().recognize(_two_digits(label=True)).numbers]
    assert not any(len(t) > 1 and t != "17" for t in texts), texts


def test_one_detector_call_for_all_images_and_a_drawn_number_is_never_print():
    """One call for the readings of all images; one before the segmentation graphs when the
    model is unsure of a candidate (a printed word, which then gets none), after which the
    readings' call asks only about what that one did not (here nothing: no graph was built)."""
    lone = np.full((120, 80), 255, np.uint8)
    cv2.line(lone, (40, 20), (40, 100), 0, 6)
    images = [lone, _two_digits(), np.full((40, 40), 255, np.uint8)]
    classifier = Recognizer.load(print_model=None).classifier
    det = Always(1.0)
    readings = Recognizer(classifier, print_detector=det).recognize_many(images)
    assert det.calls == 1
    assert [d.label for d in readings[0].digits] == [1]
    assert [n.text for n in readings[1].numbers] == ["17"]
    assert readings[2].digits == ()
    for cfg in (PipelineConfig(graph_print_skip=1.01), PipelineConfig()):
        det = Always(1.0)
        Recognizer(classifier, cfg, print_detector=det).recognize_many([*images, _two_digits(label=True)])
        assert det.calls == 1


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_the_detector_sees_each_crop_once(p):
    """The candidates read whole keep what the detector said of them before the graphs; the
    readings' call shows it only the digits read from the graphs' paths."""

    class Recording(Always):
        def __init__(self, p):
            super().__init__(p)
            self.batches = []

        def predict(self, batch):
            self.batches.append(batch.copy())
            return super().predict(batch)

    det = Recording(p)  # 0: all handwriting, so the label's letters get graphs; 1: all print
    rec = Recognizer(Recognizer.load(print_model=None).classifier, print_detector=det)
    numbers = [n.text for n in rec.recognize(_two_digits(label=True)).numbers]
    assert ("17" in numbers) == (p == 0.0)
    crops = [crop.tobytes() for batch in det.batches for crop in batch]
    assert len(crops) == len(set(crops))
    assert len(det.batches) == (2 if p == 0.0 else 1)


def test_a_detector_for_other_crops_is_left_out():
    class Other(Always):
        def expects(self, normalization):
            return False

    rec = Recognizer(Recognizer.load(print_model=None).classifier, print_detector=Other(1.0))
    assert rec.print_detector is None


@pytest.mark.skipif(not DEFAULT_PRINT_MODEL.exists(), reason="no shipped print detector")
def test_the_shipped_detector_drops_a_printed_year_far_from_its_label(mnist_test):
    rec = Recognizer.load()
    assert rec.print_detector is not None
    number = page_with_number(mnist_test, [first_index_of(mnist_test, d) for d in (3, 8)],
                              height=80, margin=40)
    page = np.full((number.shape[0] + 120, 900, 3), 255, np.uint8)
    page[120:, 500:500 + number.shape[1]] = number
    print_on(page, "Date", 20, 80, 40, "LiberationSerif-Regular.ttf")
    print_on(page, "2024", 600, 80, 40, "LiberationSerif-Regular.ttf")
    r = rec.recognize(page)
    assert [n.text for n in r.numbers] == ["38"]
    r = rec.recognize(page, replace(rec.config, read_printed=True))
    assert sorted(n.text for n in r.numbers) == ["2024", "38"]
