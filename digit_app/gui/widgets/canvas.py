"""The drawing surface: strokes from the mouse, a pen (with pressure) or touch; undo; images.

The canvas is a white page shown scaled to the widget, so recognition boxes stay valid when
the window is resized. The page covers the whole widget (no band where a stroke would vanish):
an empty page takes the widget's shape with the area of ``style.CANVAS_SIZE``; a page with
drawing on it only grows, by the bands the widget's new shape leaves, its content staying in
the middle. Touch input reaches it as the mouse events Qt synthesizes from touches.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digit_app import atomic
from digit_app.gui import style
from digit_app.gui.widgets import overlay
from digit_app.gui.widgets.convert import png_bytes
from digit_app.session.geometry import clip_box, hit_test, normalize_rect
from digit_app.session.reading import OverlayItem
from digit_app.types import Box

#: Scale limit when an image is loaded onto the canvas (a tiny image is not blown up beyond).
MAX_IMAGE_UPSCALE = 4.0


@dataclass
class Stroke:
    """Points in canvas pixels, each with its own width (pressure)."""

    points: list[tuple[float, float, float]] = field(default_factory=list)

    def translate(self, dx: float, dy: float) -> None:
        self.points = [(x + dx, y + dy, w) for x, y, w in self.points]

    def bounds(self) -> Box:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        r = max(p[2] for p in self.points) / 2
        x0, y0 = int(min(xs) - r), int(min(ys) - r)
        return (x0, y0, int(max(xs) + r) - x0 + 1, int(max(ys) + r) - y0 + 1)


@dataclass
class PlacedImage:
    """An image loaded onto the canvas, fitted and centred in the page it was loaded on."""

    image: QImage
    rect: QRectF  # where it is, in canvas pixels

    def translate(self, dx: float, dy: float) -> None:
        self.rect.translate(dx, dy)


class DrawCanvas(QWidget):
    """Emits ``drawing_changed`` while a stroke grows, ``stroke_finished(box)`` at its end and
    ``content_changed`` after undo, clear or an image load; right-click emits ``digit_clicked``
    (on a digit) and ``context_requested(kind, index, global_pos)``. In box mode, one drag
    draws a box instead of a stroke (``box_drawn(box, global_pos)``); Esc cancels."""

    drawing_changed = Signal()
    stroke_finished = Signal(object)  # Box of the stroke, canvas pixels
    content_changed = Signal()
    digit_clicked = Signal(int)
    context_requested = Signal(str, int, object)  # kind ("" off the boxes), index, QPoint (global)
    box_drawn = Signal(object, object)  # Box in canvas pixels, QPoint (global) where it ended

    def __init__(self, size: tuple[int, int] = style.CANVAS_SIZE, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 160)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._base_size = QSize(*size)
        self._size = QSize(*size)
        self._layers: list[Stroke | PlacedImage] = []
        self._current: Stroke | None = None
        self._items: list[OverlayItem] = []
        self._box_mode = False
        self._box_start: QPointF | None = None
        self._box_rect: Box | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pen_width = style.DEFAULT_PEN_WIDTH
        self._base = QImage()  # paper + finished layers
        self._image = QImage()  # _base + the stroke being drawn
        self._render()

    # -- state ----------------------------------------------------------------------------
    def canvas_size(self) -> QSize:
        return QSize(self._size)

    def image(self) -> QImage:
        """The pixels as they are now (a copy), including a stroke in progress."""
        return self._image.copy()

    def is_empty(self) -> bool:
        return not self._layers and self._current is None

    def stroke_count(self) -> int:
        return sum(isinstance(layer, Stroke) for layer in self._layers)

    def layer_count(self) -> int:
        """Strokes and images on the canvas (what undo removes, newest first)."""
        return len(self._layers)

    def can_undo(self) -> bool:
        return bool(self._layers)

    def set_items(self, items: list[OverlayItem]) -> None:
        self._items = list(items)
        self.update()

    def items(self) -> list[OverlayItem]:
        return list(self._items)

    def set_box_mode(self, on: bool) -> None:
        """The next drag draws a box around a missed digit, not a stroke."""
        self._box_mode = on
        self._box_start, self._box_rect = None, None
        self.setCursor(Qt.CursorShape.SizeFDiagCursor if on else Qt.CursorShape.CrossCursor)
        if on:
            self.setFocus()
        self.update()

    def box_mode(self) -> bool:
        return self._box_mode

    # -- editing --------------------------------------------------------------------------
    def undo(self) -> bool:
        """Remove the last stroke (or loaded image); False when there is nothing to undo."""
        if self._current is not None or not self._layers:
            return False
        self._layers.pop()
        self._render()
        self.content_changed.emit()
        return True

    def clear(self) -> None:
        self._layers.clear()
        self._current = None
        self._size = QSize(self._base_size)
        self.fit_page_to_widget()
        self._render()
        self.content_changed.emit()

    def load_image(self, image: QImage) -> None:
        """Place ``image`` on the canvas (fitted, centred) over what is there; undoable."""
        if image.isNull():
            raise ValueError("empty image")
        w, h = self._size.width(), self._size.height()
        s = min(w / image.width(), h / image.height(), MAX_IMAGE_UPSCALE)
        iw, ih = image.width() * s, image.height() * s
        rect = QRectF((w - iw) / 2, (h - ih) / 2, iw, ih)
        self._layers.append(PlacedImage(image.convertToFormat(QImage.Format.Format_RGB32), rect))
        self._render()
        self.content_changed.emit()

    def save(self, path: str) -> None:
        """The drawing as PNG, written atomically; OSError if it cannot be written."""
        atomic.atomic_write(Path(path), png_bytes(self._image))

    # -- geometry -------------------------------------------------------------------------
    def transform(self) -> QTransform:
        """Canvas pixels -> widget pixels (fitted and centred)."""
        s = min(self.width() / self._size.width(), self.height() / self._size.height())
        dx = (self.width() - self._size.width() * s) / 2
        dy = (self.height() - self._size.height() * s) / 2
        return QTransform(s, 0, 0, s, dx, dy)

    def to_canvas(self, pos: QPointF) -> QPointF:
        inverted, _ = self.transform().inverted()
        return inverted.map(pos)

    # -- rendering ------------------------------------------------------------------------
    def _render(self) -> None:
        self._base = QImage(self._size, QImage.Format.Format_RGB32)
        self._base.fill(style.CANVAS_PAPER)
        painter = QPainter(self._base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for layer in self._layers:
            if isinstance(layer, Stroke):
                self._paint_stroke(painter, layer.points)
            else:
                self._paint_image(painter, layer)
        painter.end()
        self._image = self._base.copy()
        self.update()

    def fit_page_to_widget(self) -> None:
        """Give the page the widget's shape (see the module docstring); called on resize."""
        ww, wh = self.width(), self.height()
        if ww <= 0 or wh <= 0 or self._current is not None:
            return
        w, h = self._size.width(), self._size.height()
        if not self._layers:
            area, aspect = self._base_size.width() * self._base_size.height(), ww / wh
            new_w, new_h = round(math.sqrt(area * aspect)), round(math.sqrt(area / aspect))
        else:
            s = min(ww / w, wh / h)
            new_w, new_h = max(w, round(ww / s)), max(h, round(wh / s))
        if (new_w, new_h) == (w, h):
            return
        dx, dy = (new_w - w) / 2, (new_h - h) / 2
        for layer in self._layers:
            layer.translate(dx, dy)
        self._size = QSize(new_w, new_h)
        self._render()
        if self._layers:
            self.content_changed.emit()  # the digits moved in canvas pixels: read again

    @staticmethod
    def _paint_image(painter: QPainter, layer: PlacedImage) -> None:
        painter.drawImage(layer.rect, layer.image)

    @staticmethod
    def _paint_stroke(painter: QPainter, points: list[tuple[float, float, float]], start: int = 0) -> None:
        pen = QPen(style.CANVAS_INK)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if len(points) == 1:
            x, y, w = points[0]
            pen.setWidthF(w)
            painter.setPen(pen)
            painter.drawPoint(QPointF(x, y))
            return
        for i in range(max(start, 1), len(points)):
            (x0, y0, w0), (x1, y1, w1) = points[i - 1], points[i]
            pen.setWidthF((w0 + w1) / 2)
            painter.setPen(pen)
            painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))

    def _extend(self, pos: QPointF, pressure: float = 1.0) -> None:
        assert self._current is not None
        p = self.to_canvas(pos)
        width = max(1.0, self.pen_width * pressure)
        self._current.points.append((p.x(), p.y(), width))
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_stroke(painter, self._current.points, start=len(self._current.points) - 1)
        painter.end()
        self.update()
        self.drawing_changed.emit()

    def _begin(self, pos: QPointF, pressure: float = 1.0) -> None:
        self._current = Stroke()
        self._extend(pos, pressure)

    def _end(self) -> None:
        stroke, self._current = self._current, None
        if stroke is None or not stroke.points:
            return
        self._layers.append(stroke)
        self._base = self._image.copy()
        self.stroke_finished.emit(stroke.bounds())

    # -- input ----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._box_mode:
            self._box_start = self.to_canvas(event.position())
        elif event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
        elif event.button() == Qt.MouseButton.RightButton:
            self._select_at(event.position(), event.globalPosition().toPoint())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._box_start is not None and event.buttons() & Qt.MouseButton.LeftButton:
            p = self.to_canvas(event.position())
            self._box_rect = normalize_rect(self._box_start.x(), self._box_start.y(), p.x(), p.y())
            self.update()
        elif self._current is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._box_start is not None:
            rect = self._box_rect
            self._box_start, self._box_rect = None, None
            self.update()
            box = clip_box(rect, self._size.width(), self._size.height(), min_side=4) if rect else None
            if box is not None:
                self.set_box_mode(False)
                self.box_drawn.emit(box, event.globalPosition().toPoint())
        elif event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._box_mode:
            self.set_box_mode(False)
            return
        super().keyPressEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen: the pressure modulates the width (Qt would otherwise send mouse events)."""
        kind = event.type()
        pressure = event.pressure() if event.pressure() > 0 else 1.0
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletRelease and self._current is not None:
            self._end()
        event.accept()

    def _select_at(self, pos: QPointF, global_pos: QPoint) -> None:
        p = self.to_canvas(pos)
        items = [it for it in self._items if it.kind in ("digit", "rejected")]
        i = hit_test([it.box for it in items], p.x(), p.y(), margin=4)
        if i is not None and items[i].kind == "digit":
            self.digit_clicked.emit(items[i].index)
        kind, index = (items[i].kind, items[i].index) if i is not None else ("", -1)
        self.context_requested.emit(kind, index, global_pos)

    def global_pos_of(self, box: Box) -> QPoint:
        """Screen position of the bottom-left corner of ``box`` (to open a popup beside it)."""
        rect = self.transform().mapRect(QRectF(*box))
        return self.mapToGlobal(rect.bottomLeft().toPoint())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), style.VIEW_BACKGROUND)
        t = self.transform()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(t.mapRect(QRectF(0, 0, self._size.width(), self._size.height())), self._image)
        overlay.paint_items(painter, self._items, t)
        if self._box_rect is not None:
            overlay.paint_region(painter, self._box_rect, t)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.fit_page_to_widget()
        self.update()
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(self._size.width() * 3 // 4, self._size.height() * 3 // 4)
