"""List icons that stay visible on the selected row.

The lock is drawn in the very blue of the selection (``#0a64d6`` in the light palette), and
Qt's default delegate draws a selected row's icon in ``QIcon.Mode.Selected``, which
Fusion tints with the highlight colour: on a selected row the icon vanished. Here the icon
is drawn in its normal colours on a small chip of the base colour.
"""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

_Index = QModelIndex | QPersistentModelIndex
CHIP_MARGIN = 2


def paint_list_icon(
    painter: QPainter, icon: QIcon, rect: QRect, palette: QPalette, *, selected: bool
) -> None:
    """``icon`` in ``rect``, on a base-coloured chip when the row is selected."""
    if selected:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        chip = rect.adjusted(-CHIP_MARGIN, -CHIP_MARGIN, CHIP_MARGIN, CHIP_MARGIN)
        painter.drawRoundedRect(chip, 4, 4)
        painter.restore()
    icon.paint(painter, rect, Qt.AlignmentFlag.AlignCenter, QIcon.Mode.Normal)


class VisibleIconDelegate(QStyledItemDelegate):
    """Qt's delegate, but a selected row's icon is redrawn in its own colours on a chip."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        super().paint(painter, option, index)
        if not option.state & QStyle.StateFlag.State_Selected:
            return
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        if view.icon.isNull():
            return
        style = view.widget.style() if view.widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemDecoration, view, view.widget)
        paint_list_icon(painter, view.icon, rect, option.palette, selected=True)
