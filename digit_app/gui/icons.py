"""Small icons drawn with QPainter (no image files needed): modes and the app icon."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

ICON_SIDE = 64
ICON_COLOUR = QColor(51, 65, 85)
APP_ICON_BACKGROUND = QColor(37, 99, 235)


def _canvas(side: int = ICON_SIDE) -> tuple[QPixmap, QPainter]:
    pix = QPixmap(side, side)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(side / ICON_SIDE, side / ICON_SIDE)
    return pix, painter


def _pen(width: float = 5.0) -> QPen:
    pen = QPen(ICON_COLOUR, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def draw_icon() -> QIcon:
    pix, p = _canvas()
    p.setPen(_pen())
    path = QPainterPath(QPointF(14, 50))
    path.lineTo(44, 12)
    path.lineTo(54, 20)
    path.lineTo(24, 56)
    path.lineTo(12, 58)
    path.closeSubpath()
    p.drawPath(path)
    p.drawLine(QPointF(38, 20), QPointF(48, 28))
    p.end()
    return QIcon(pix)


def camera_icon() -> QIcon:
    pix, p = _canvas()
    p.setPen(_pen())
    p.drawRoundedRect(QRectF(8, 18, 48, 34), 6, 6)
    p.drawRect(QRectF(22, 11, 16, 7))
    p.drawEllipse(QPointF(32, 35), 10, 10)
    p.end()
    return QIcon(pix)


def document_icon() -> QIcon:
    pix, p = _canvas()
    p.setPen(_pen())
    path = QPainterPath(QPointF(14, 6))
    path.lineTo(40, 6)
    path.lineTo(52, 18)
    path.lineTo(52, 58)
    path.lineTo(14, 58)
    path.closeSubpath()
    p.drawPath(path)
    p.drawPolyline([QPointF(40, 6), QPointF(40, 18), QPointF(52, 18)])
    p.setPen(_pen(3.5))
    for y in (30, 39, 48):
        p.drawLine(QPointF(22, y), QPointF(44, y))
    p.end()
    return QIcon(pix)


def app_pixmap(side: int = 256) -> QPixmap:
    """A blue rounded square with a white handwritten-looking 7 in a box."""
    pix, p = _canvas(side)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(APP_ICON_BACKGROUND)
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 14, 14)
    pen = QPen(QColor("white"), 7)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.drawPolyline([QPointF(20, 18), QPointF(44, 17), QPointF(30, 48)])
    p.drawLine(QPointF(26, 33), QPointF(40, 32))
    box = QPen(QColor(134, 239, 172), 3)
    p.setPen(box)
    p.drawRect(QRectF(12, 10, 40, 44))
    p.end()
    return pix


def app_icon() -> QIcon:
    return QIcon(app_pixmap())
