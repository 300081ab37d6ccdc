"""Painting boxes and labels over an image, in screen pixels whatever the zoom."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QTransform

from digit_app.gui import style
from digit_app.session.geometry import place_label
from digit_app.session.reading import LEVEL_CORRECTED, OverlayItem
from digit_app.types import Box

CORRECTED_MARK = " ✓"


def level_colour(level: str) -> QColor:
    return style.LEVEL_COLOURS.get(level, style.LEVEL_COLOURS["low"])


def label_font() -> QFont:
    font = QFont()
    font.setPixelSize(style.LABEL_FONT_PX)
    font.setBold(True)
    return font


def box_rect(box: Box, transform: QTransform) -> QRectF:
    return transform.mapRect(QRectF(*box))


def paint_items(painter: QPainter, items: Iterable[OverlayItem], transform: QTransform) -> None:
    """Numbers as dashed blue boxes with their text; digits as boxes coloured by confidence
    with a label tag above; the selected item outlined in the selection colour."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = label_font()
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    items = list(items)
    # The digits' tags and boxes first: the numbers' tags go where they hide none of them (nor
    # each other).
    taken = [_rect_tuple(tag) for item in items if item.kind != "number"
             for tag in [_digit_tag(item, transform, metrics)] if tag is not None]
    taken += [_rect_tuple(box_rect(item.box, transform)) for item in items if item.kind != "number"]
    for item in items:
        if item.kind == "number":
            taken.append(_paint_number(painter, item, transform, metrics, taken))
    for item in items:
        if item.kind != "number":
            _paint_digit(painter, item, transform, metrics)
    painter.restore()


def _rect_tuple(rect: QRectF) -> tuple[float, float, float, float]:
    return (rect.x(), rect.y(), rect.width(), rect.height())


def _tag_text(item: OverlayItem) -> str:
    return item.text + (CORRECTED_MARK if item.level == LEVEL_CORRECTED else "")


def _digit_tag(item: OverlayItem, transform: QTransform, metrics: QFontMetricsF) -> QRectF | None:
    """Where a digit's tag goes (above its box's top-left corner); None for a box shown too
    small to carry one."""
    rect = box_rect(item.box, transform)
    if rect.height() >= style.MIN_TAGGED_BOX_PX or item.selected:
        return _tag_rect(_tag_text(item), QPointF(rect.left(), rect.top()), metrics)
    return None


def _paint_digit(painter: QPainter, item: OverlayItem, transform: QTransform,
                 metrics: QFontMetricsF) -> None:
    rect = box_rect(item.box, transform)
    colour = level_colour(item.level)
    if item.selected:
        painter.setPen(QPen(style.SELECTION_COLOUR, style.SELECTED_PEN_WIDTH + 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(-3, -3, 3, 3))
    pen = QPen(colour, style.SELECTED_PEN_WIDTH if item.selected else style.BOX_PEN_WIDTH)
    if item.kind == "rejected":
        pen.setStyle(Qt.PenStyle.DotLine)
    painter.setPen(pen)
    fill = QColor(colour)
    fill.setAlpha(40 if item.selected else 0)
    painter.setBrush(QBrush(fill))
    painter.drawRect(rect)
    # On a page shown small the tags would hide everything: boxes only, numbers keep their text.
    tag = _digit_tag(item, transform, metrics)
    if tag is not None:
        _paint_tag(painter, _tag_text(item), tag, colour)


def _paint_number(painter: QPainter, item: OverlayItem, transform: QTransform,
                  metrics: QFontMetricsF, taken: list) -> tuple[float, float, float, float]:
    """The number's dashed box and its text; returns where the text went."""
    rect = box_rect(item.box, transform).adjusted(-6, -6, 6, 6)
    colour = style.SELECTION_COLOUR if item.selected else style.NUMBER_COLOUR
    pen = QPen(colour, style.SELECTED_PEN_WIDTH if item.selected else 1.5)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, 4, 4)
    # Under its box; where that would hide a tag of the next row: right of it, left of it, or
    # above the digits' tags.
    below = _tag_rect(item.text, QPointF(rect.left(), rect.bottom()), metrics).translated(0, metrics.height()
                                                                                    + 2 * style.LABEL_PADDING)
    w, h = below.width(), below.height()
    middle = rect.center().y() + h / 2
    candidates = [below,
                  _tag_rect(item.text, QPointF(rect.right() + 2, middle), metrics),
                  _tag_rect(item.text, QPointF(rect.left() - w - 2, middle), metrics),
                  _tag_rect(item.text, QPointF(rect.left(), rect.top() - h - 2), metrics)]
    tag = candidates[place_label([_rect_tuple(c) for c in candidates], taken)]
    _paint_tag(painter, item.text, tag, colour)
    return _rect_tuple(tag)


def _tag_rect(text: str, bottom_left: QPointF, metrics: QFontMetricsF) -> QRectF:
    pad = style.LABEL_PADDING
    w = metrics.horizontalAdvance(text) + 2 * pad
    h = metrics.height() + pad
    return QRectF(bottom_left.x(), bottom_left.y() - h, max(w, h), h)


def _paint_tag(painter: QPainter, text: str, tag: QRectF, colour: QColor) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(tag, 3, 3)
    painter.setPen(style.LABEL_TEXT_COLOUR)
    painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)


def paint_region(painter: QPainter, box: Box, transform: QTransform) -> None:
    """The camera's region of interest: a dashed frame, the outside dimmed."""
    painter.save()
    rect = box_rect(box, transform)
    pen = QPen(style.REGION_COLOUR, 2)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    painter.restore()


def render_annotated(image: QImage, items: Iterable[OverlayItem], region: Box | None = None) -> QImage:
    """A copy of ``image`` (QImage) with the overlay painted at 1:1 (for snapshots)."""
    out = image.convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(out)
    paint_items(painter, items, QTransform())
    if region is not None:
        paint_region(painter, region, QTransform())
    painter.end()
    return out
