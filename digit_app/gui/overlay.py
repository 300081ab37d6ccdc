"""Painting boxes and labels over an image, in screen pixels whatever the zoom."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QTransform

from digit_app.gui import style
from digit_app.gui.reading import LEVEL_CORRECTED, OverlayItem

CORRECTED_MARK = " ✓"
from digit_app.types import Box


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
    for item in items:
        if item.kind == "number":
            _paint_number(painter, item, transform, metrics)
    for item in items:
        if item.kind != "number":
            _paint_digit(painter, item, transform, metrics)
    painter.restore()


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
    if rect.height() >= style.MIN_TAGGED_BOX_PX or item.selected:
        text = item.text + (CORRECTED_MARK if item.level == LEVEL_CORRECTED else "")
        _paint_tag(painter, text, QPointF(rect.left(), rect.top()), colour, metrics)


def _paint_number(painter: QPainter, item: OverlayItem, transform: QTransform,
                  metrics: QFontMetricsF) -> None:
    rect = box_rect(item.box, transform).adjusted(-6, -6, 6, 6)
    colour = style.SELECTION_COLOUR if item.selected else style.NUMBER_COLOUR
    pen = QPen(colour, style.SELECTED_PEN_WIDTH if item.selected else 1.5)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, 4, 4)
    # The number's text under its box, so it never hides the digits' own tags.
    _paint_tag(painter, item.text, QPointF(rect.left(), rect.bottom() + metrics.height() + 2 * style.LABEL_PADDING),
               colour, metrics)


def _paint_tag(painter: QPainter, text: str, bottom_left: QPointF, colour: QColor,
               metrics: QFontMetricsF) -> None:
    pad = style.LABEL_PADDING
    w = metrics.horizontalAdvance(text) + 2 * pad
    h = metrics.height() + pad
    tag = QRectF(bottom_left.x(), bottom_left.y() - h, max(w, h), h)
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
