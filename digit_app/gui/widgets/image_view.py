"""An image with an overlay: zoom (wheel, keys), pan (drag), click a box, drag a region or a box."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from digit_app.gui import style
from digit_app.gui.widgets import overlay
from digit_app.session import geometry
from digit_app.session.reading import OverlayItem
from digit_app.types import Box


class ImageView(QWidget):
    """Shows a QImage fitted to the widget (or zoomed), with :class:`OverlayItem` boxes on top.

    In region mode a drag selects a rectangle (``region_selected``); in box mode one drag emits
    ``box_drawn(box, global_pos)`` and the mode ends (Esc cancels it); otherwise a drag pans and
    a click on a box emits ``item_clicked(kind, index)``. A right-click emits
    ``context_requested(kind, index, global_pos)`` (kind "" away from any box).
    """

    item_clicked = Signal(str, int)
    region_selected = Signal(object)  # Box in image pixels, or None when cleared
    box_drawn = Signal(object, object)  # Box in image pixels, QPoint (global) where it ended
    context_requested = Signal(str, int, object)  # kind, index, QPoint (global)
    zoom_changed = Signal(float)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 150)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.placeholder = placeholder
        self._image = QImage()
        self._items: list[OverlayItem] = []
        self._region: Box | None = None
        self._zoom: float | None = None  # None: fit to the widget
        self._center = QPointF()  # image point at the widget centre when zoomed
        self._region_mode = False
        self._box_mode = False
        self._press: QPointF | None = None
        self._press_center = QPointF()
        self._drag_rect: Box | None = None

    # -- content --------------------------------------------------------------------------
    def image(self) -> QImage:
        return self._image

    def set_image(self, image: QImage, keep_view: bool = True) -> None:
        if not keep_view or image.size() != self._image.size():
            self._zoom = None
        self._image = image
        self.update()

    def clear(self) -> None:
        self._image = QImage()
        self._items = []
        self._zoom = None
        self.update()

    def set_items(self, items: list[OverlayItem]) -> None:
        self._items = list(items)
        self.update()

    def items(self) -> list[OverlayItem]:
        return list(self._items)

    def set_region(self, region: Box | None) -> None:
        self._region = region
        self.update()

    def region(self) -> Box | None:
        return self._region

    def set_region_mode(self, on: bool) -> None:
        self._region_mode = on
        self.setCursor(Qt.CursorShape.CrossCursor if on or self._box_mode else Qt.CursorShape.ArrowCursor)

    def set_box_mode(self, on: bool) -> None:
        """The next drag draws one box (``box_drawn``) instead of panning."""
        self._box_mode = on
        self.setCursor(Qt.CursorShape.CrossCursor if on or self._region_mode else Qt.CursorShape.ArrowCursor)
        if on:
            self.setFocus()

    def box_mode(self) -> bool:
        return self._box_mode

    # -- zoom -----------------------------------------------------------------------------
    def is_fit(self) -> bool:
        return self._zoom is None

    def fit_scale(self) -> float:
        if self._image.isNull():
            return 1.0
        return min(self.width() / self._image.width(), self.height() / self._image.height())

    def scale(self) -> float:
        return self.fit_scale() if self._zoom is None else self._zoom

    def transform(self) -> QTransform:
        """Image pixels -> widget pixels."""
        s = self.scale()
        if self._zoom is None:
            dx = (self.width() - self._image.width() * s) / 2
            dy = (self.height() - self._image.height() * s) / 2
        else:
            dx = self.width() / 2 - self._center.x() * s
            dy = self.height() / 2 - self._center.y() * s
        return QTransform(s, 0, 0, s, dx, dy)

    def to_image(self, pos: QPointF) -> QPointF:
        inverted, _ = self.transform().inverted()
        return inverted.map(pos)

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        if self._image.isNull():
            return
        old = self.scale()
        new = min(max(old * factor, style.ZOOM_RANGE[0]), style.ZOOM_RANGE[1])
        anchor = anchor if anchor is not None else QPointF(self.width() / 2, self.height() / 2)
        fixed = self.to_image(anchor)  # this image point stays under the anchor
        self._zoom = new
        self._center = QPointF(
            fixed.x() - (anchor.x() - self.width() / 2) / new,
            fixed.y() - (anchor.y() - self.height() / 2) / new,
        )
        self.zoom_changed.emit(new)
        self.update()

    def zoom_in(self) -> None:
        self.zoom_by(style.ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / style.ZOOM_STEP)

    def fit(self) -> None:
        self._zoom = None
        self.zoom_changed.emit(self.scale())
        self.update()

    def center_on(self, box: Box) -> None:
        """Bring ``box`` into view (zooming in if the page is shown too small to read it)."""
        if self._image.isNull():
            return
        if self._zoom is None:
            self._zoom = self.fit_scale()
        self._center = QPointF(box[0] + box[2] / 2, box[1] + box[3] / 2)
        self.update()

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), style.VIEW_BACKGROUND)
        if self._image.isNull():
            painter.setPen(Qt.GlobalColor.white)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.placeholder)
            return
        t = self.transform()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.scale() < 2)
        painter.drawImage(t.mapRect(QRectF(self._image.rect())), self._image)
        overlay.paint_items(painter, self._items, t)
        if self._region is not None:
            overlay.paint_region(painter, self._region, t)
        if self._drag_rect is not None:
            overlay.paint_region(painter, self._drag_rect, t)
        painter.end()

    # -- mouse ----------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(style.ZOOM_STEP ** steps, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self._image.isNull():
            self._press = event.position()
            self._press_center = QPointF(self._center)
        elif event.button() == Qt.MouseButton.RightButton and not self._image.isNull():
            kind, index = self.item_at(event.position())
            self.context_requested.emit(kind, index, event.globalPosition().toPoint())
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._box_mode:
            self.set_box_mode(False)
            self._drag_rect = None
            self.update()
            return
        super().keyPressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        if self._region_mode or self._box_mode:
            a, b = self.to_image(self._press), self.to_image(event.position())
            self._drag_rect = geometry.normalize_rect(a.x(), a.y(), b.x(), b.y())
            self.update()
        elif self._zoom is not None:
            d = (event.position() - self._press) / self.scale()
            self._center = self._press_center - d
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        moved = (event.position() - self._press).manhattanLength()
        press, self._press = self._press, None
        if self._box_mode:
            rect, self._drag_rect = self._drag_rect, None
            self.update()
            if moved > style.CLICK_SLOP_PX and rect is not None:
                box = geometry.clip_box(rect, self._image.width(), self._image.height(), min_side=4)
                if box is not None:
                    self.set_box_mode(False)
                    self.box_drawn.emit(box, event.globalPosition().toPoint())
            return
        if self._region_mode:
            rect, self._drag_rect = self._drag_rect, None
            if moved > style.CLICK_SLOP_PX and rect is not None:
                region = geometry.clip_box(rect, self._image.width(), self._image.height(), min_side=8)
                self._region = region
                self.region_selected.emit(region)
            self.update()
            return
        if moved <= style.CLICK_SLOP_PX:
            self._click(press)

    def item_at(self, pos: QPointF) -> tuple[str, int]:
        """The box under widget point ``pos``: (kind, index), digits before numbers; ("", -1)."""
        p = self.to_image(pos)
        margin = style.CLICK_SLOP_PX / max(self.scale(), 1e-6)
        for kinds in (("digit", "rejected"), ("number",)):
            hits = [it for it in self._items if it.kind in kinds]
            i = geometry.hit_test([it.box for it in hits], p.x(), p.y(), margin)
            if i is not None:
                return hits[i].kind, hits[i].index
        return "", -1

    def _click(self, pos: QPointF) -> None:
        kind, index = self.item_at(pos)
        if kind:
            self.item_clicked.emit(kind, index)
