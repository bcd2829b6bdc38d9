"""A scrollable, zoomable screenshot preview that never blocks the GUI thread.

Captured screenshots can be 40,000 px tall. The PNG is decoded on a QThreadPool worker with
QImageReader, scaled down first when it is larger than :data:`MAX_PREVIEW_PIXELS` (the package
keeps the full image; the preview only needs to be readable), and handed to the GUI thread
ready to draw. Zoom: fit width (default), real size, in and out (buttons, Ctrl + wheel, Ctrl +/-).

The same view shows the screened variant (``data/screened/screenshot.pdf``, issue 18): the
screenshot's page images are taken out of the PDF (:func:`pdf_screenshot_image`) and stacked
into one image of the original's size, so the archivist can switch between the two at the
same place. The preview shows the pixels the PDF holds, not a rendering of its pages: a box
drawn over a name instead of into the image would show as the leak it is.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QObject,
    QPointF,
    QRect,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QImage, QImageReader, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from somecapture.gui.widgets.common import STATUS_COLORS, STATUS_STRONG

# largest preview decoded in memory (pixels); 1280 × 40,000 fits, taller pages are scaled
MAX_PREVIEW_PIXELS = 64_000_000
ZOOM_STEPS = (0.1, 0.15, 0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)

# Qt refuses images over 256 MB by default; a 1280 × 50,000 ARGB preview is ~245 MB
QImageReader.setAllocationLimit(512)


class _LoaderSignals(QObject):
    loaded = Signal(int, QImage, QSize)
    failed = Signal(int, str)


def _tell(signal: SignalInstance, *args: object) -> None:
    """Emit from a worker thread. The signals object outlives the view (the worker holds it),
    so this only fails if that ever changes: then there is nobody left to tell."""
    try:
        signal.emit(*args)
    except RuntimeError:  # pragma: no cover - the source deleted under the worker
        pass


class _Load(QRunnable):
    """One preview loaded on a worker thread; the answer comes back by ``signals``."""

    def __init__(self, token: int, path: Path, signals: _LoaderSignals,
                 max_pixels: int) -> None:
        super().__init__()
        self.token = token
        self.path = path
        self.signals = signals
        self.max_pixels = max_pixels


class _ImageLoad(_Load):
    """Decode (and if needed scale) one image on a worker thread."""

    def run(self) -> None:
        try:
            reader = QImageReader(str(self.path))
            reader.setAutoTransform(True)
            size = reader.size()
            if not size.isValid():
                _tell(self.signals.failed, self.token, reader.errorString())
                return
            area = size.width() * size.height()
            if area > self.max_pixels:
                factor = math.sqrt(self.max_pixels / area)
                reader.setScaledSize(QSize(max(1, int(size.width() * factor)),
                                           max(1, int(size.height() * factor))))
            image = reader.read()
            if image.isNull():
                _tell(self.signals.failed, self.token, reader.errorString())
                return
            # the formats QPixmap.fromImage takes without converting (a conversion there would
            # be on the GUI thread: 0.3 s for a 40,000 px page)
            image = image.convertToFormat(
                QImage.Format.Format_ARGB32_Premultiplied if image.hasAlphaChannel()
                else QImage.Format.Format_RGB32)
            _tell(self.signals.loaded, self.token, image, size)
        except Exception as exc:  # noqa: BLE001 - report it, a worker must not die silently
            _tell(self.signals.failed, self.token, QCoreApplication.translate(
                "ScreenshotView", "the file cannot be read («{detail}»)").format(
                detail=str(exc) or type(exc).__name__))


class NoScreenshotPages(ValueError):
    """A PDF without the screenshot's page images (not a capture PDF of this tool)."""


def pdf_screenshot_image(path: Path, max_pixels: int = MAX_PREVIEW_PIXELS
                         ) -> tuple[QImage, QSize]:
    """The screenshot a capture PDF holds, as one image: ``(preview, original size)``.

    A capture PDF (:func:`somecapture.package.pdf.render_capture_pdf`) has the capture sheet
    on page 1, then the screenshot cut into one image per page, then the text appendix (no
    images). The page images from page 2 up to the first page without one are decoded as
    they are embedded (lossless) and stacked, so the result has the screenshot's size and
    pixels; it is scaled down like :class:`_ImageLoad` when it is larger than ``max_pixels``.
    Safe to call on a worker thread (QPainter on a QImage).

    Raises :class:`NoScreenshotPages` (a ``ValueError``) when the file holds no screenshot
    pages, and pikepdf's or Pillow's errors for a file that cannot be read.
    """
    # imported here: only a preview of a PDF needs it, not the app's start-up
    import pikepdf

    with pikepdf.open(path) as pdf:
        parts = []
        for page in list(pdf.pages)[1:]:
            images = [x for x in page.get_images().values() if isinstance(x, pikepdf.Stream)]
            if not images:
                break  # the text appendix: the screenshot is behind
            parts.extend(images)
        if not parts:
            raise NoScreenshotPages(f"{path.name} has no screenshot pages")
        sizes = [(int(x.Width), int(x.Height)) for x in parts]
        width = max(w for w, _ in sizes)
        height = sum(h for _, h in sizes)
        area = width * height
        factor = math.sqrt(max_pixels / area) if area > max_pixels else 1.0
        out = QImage(max(1, int(width * factor)), max(1, int(height * factor)),
                     QImage.Format.Format_RGB32)
        out.fill(Qt.GlobalColor.white)
        painter = QPainter(out)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        try:
            top = 0
            for xobject, (w, h) in zip(parts, sizes, strict=True):
                part = pikepdf.PdfImage(xobject).as_pil_image()
                if part.mode != "RGB":
                    part = part.convert("RGB")
                data = part.tobytes()
                image = QImage(data, w, h, 3 * w, QImage.Format.Format_RGB888)
                # whole rows, so scaled parts meet without a seam; unscaled, a plain copy
                y0, y1 = round(top * factor), round((top + h) * factor)
                painter.drawImage(QRect(0, y0, max(1, round(w * factor)), max(1, y1 - y0)),
                                  image)
                top += h
                del image, data, part
        finally:
            painter.end()
    return out, QSize(width, height)


class _PdfLoad(_Load):
    """Take the screenshot out of a capture PDF on a worker thread."""

    def run(self) -> None:
        try:
            image, size = pdf_screenshot_image(self.path, self.max_pixels)
        except NoScreenshotPages:
            _tell(self.signals.failed, self.token, QCoreApplication.translate(
                "ScreenshotView", "the PDF holds no screenshot pages"))
            return
        except Exception as exc:  # noqa: BLE001 - report it, a worker must not die silently
            # the reader's own words (pikepdf's, Pillow's: English), quoted as theirs
            _tell(self.signals.failed, self.token, QCoreApplication.translate(
                "ScreenshotView", "the file cannot be read («{detail}»)").format(
                detail=str(exc) or type(exc).__name__))
            return
        _tell(self.signals.loaded, self.token, image, size)


class _ZoomingView(QGraphicsView):
    """QGraphicsView with Ctrl + wheel zoom."""

    zoom_requested = Signal(int)  # +1 in, -1 out
    resized = Signal()

    def wheelEvent(self, event):  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_requested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event):  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.resized.emit()


class ScreenshotView(QWidget):
    """Preview of a capture's screenshot, or of the screenshot in its screened variant."""

    # the image finished loading (tests and the result panel use it)
    image_loaded = Signal()
    # the image could not be loaded: (message)
    image_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._token = 0
        self._original = QSize()
        self._image_size = QSize()
        self._fit = True
        self._zoom = 1.0
        self.path: Path | None = None
        #: what is shown: "original" (the PNG) or "screened" (the screened PDF's images)
        self.variant = "original"
        # where to put the view when the next image is shown (a point of the screenshot in
        # its real pixels), so switching variants keeps the place
        self._restore: QPointF | None = None
        # no Qt parent: a worker still decoding when the view is closed holds its own
        # reference, so it always emits on a live object (the connections to the closed
        # view are gone by then, and nothing is delivered)
        self._signals = _LoaderSignals()
        self._signals.loaded.connect(self._on_loaded)
        self._signals.failed.connect(self._on_failed)
        self.pool = QThreadPool.globalInstance()

        self.fit_button = QToolButton()
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.fit_button.clicked.connect(self.fit_width)
        self.actual_button = QToolButton()
        self.actual_button.clicked.connect(lambda: self.set_zoom(1.0))
        self.out_button = QToolButton()
        self.out_button.setText("−")
        self.out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.in_button = QToolButton()
        self.in_button.setText("+")
        self.in_button.clicked.connect(lambda: self.step_zoom(1))
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.size_label = QLabel()
        self.size_label.setProperty("hint", True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.fit_button, self.actual_button, self.out_button, self.in_button,
                  self.zoom_label):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.size_label)

        self.scene = QGraphicsScene(self)
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene.addItem(self.item)
        self.view = _ZoomingView(self.scene)
        self.view.setObjectName("screenshotView")
        self.view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.view.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.view.setBackgroundBrush(self.palette().window())
        self.view.zoom_requested.connect(self.step_zoom)
        self.view.resized.connect(self._on_resized)
        # says that the screened variant is shown, so it is never taken for the original
        self.banner = QLabel()
        self.banner.setObjectName("previewBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            f"QLabel#previewBanner {{ background: {STATUS_COLORS['partial'].name()}; color: "
            f"{STATUS_STRONG['partial']}; font-weight: bold; padding: 4px 8px; }}")
        self.banner.setVisible(False)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setProperty("hint", True)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addLayout(self.stack, 1)
        for keys, step in ((QKeySequence.StandardKey.ZoomIn, 1),
                           (QKeySequence.StandardKey.ZoomOut, -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.step_zoom(s))
        self._set_controls_enabled(False)
        self.retranslate()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.fit_button.setText(self.tr("Fit width"))
        self.fit_button.setToolTip(self.tr("Scale the screenshot to the width of the panel"))
        # a word, not "100 %": next to the zoom shown ("39 %") a "100 %" read as a second,
        # contradicting figure
        self.actual_button.setText(self.tr("Real size"))
        self.actual_button.setToolTip(self.tr("Show the screenshot at its real size (100 %)"))
        self.out_button.setToolTip(self.tr("Zoom out (Ctrl + minus, Ctrl + mouse wheel)"))
        self.in_button.setToolTip(self.tr("Zoom in (Ctrl + plus, Ctrl + mouse wheel)"))
        self.out_button.setAccessibleName(self.tr("Zoom out"))
        self.in_button.setAccessibleName(self.tr("Zoom in"))
        self.view.setAccessibleName(self.tr("Screenshot preview"))
        self.banner.setText(self.tr("Screened version (data/screened/screenshot.pdf): what is "
                                    "handed out on an access request"))
        if self.path is None:
            self.placeholder.setText(self.tr("The screenshot of the captured page appears "
                                             "here."))
        self._update_labels()

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- loading --------------------------------------------------------------------------
    def clear(self, text: str | None = None) -> None:
        """Show no image (and ``text`` instead)."""
        self._token += 1
        self.path = None
        self.variant = "original"
        self.banner.setVisible(False)
        self.item.setPixmap(QPixmap())
        self._original = QSize()
        self._image_size = QSize()
        self.placeholder.setText(text or self.tr("The screenshot of the captured page appears "
                                                 "here."))
        self.stack.setCurrentWidget(self.placeholder)
        self._set_controls_enabled(False)
        self._update_labels()

    def load(self, path: Path, max_pixels: int = MAX_PREVIEW_PIXELS, *,
             keep_position: bool = False) -> None:
        """Start loading ``path`` in the background; ``image_loaded`` follows.

        ``keep_position``: show the same part of the screenshot as now (switching variants).
        """
        restore = self._position() if keep_position else None
        self.clear(self.tr("Loading the screenshot…"))
        self.path = path
        self._restore = restore
        self._token += 1
        self.pool.start(_ImageLoad(self._token, path, self._signals, max_pixels))

    def load_screened(self, pdf: Path, max_pixels: int = MAX_PREVIEW_PIXELS, *,
                      keep_position: bool = False) -> None:
        """Start loading the screenshot of the screened variant ``pdf`` in the background
        (:func:`pdf_screenshot_image`); ``image_loaded`` follows, or ``image_failed``."""
        restore = self._position() if keep_position else None
        self.clear(self.tr("Loading the screened version…"))
        self.path = pdf
        self.variant = "screened"
        self._restore = restore
        self._token += 1
        self.pool.start(_PdfLoad(self._token, pdf, self._signals, max_pixels))

    def _position(self) -> QPointF | None:
        """The point of the screenshot (in its real pixels) at the view's top left corner."""
        if not self.has_image():
            return None
        corner = self.view.mapToScene(0, 0)
        ratio = self._original.width() / self._image_size.width()
        return QPointF(max(0.0, corner.x()) * ratio, max(0.0, corner.y()) * ratio)

    def _on_loaded(self, token: int, image: QImage, original: QSize) -> None:
        if token != self._token:
            return  # a newer image was asked for meanwhile
        self._original = original
        self._image_size = image.size()
        self.item.setPixmap(QPixmap.fromImage(image))
        self.scene.setSceneRect(self.item.boundingRect())
        self.stack.setCurrentWidget(self.view)
        self.banner.setVisible(self.variant == "screened")
        self._set_controls_enabled(True)
        self._apply_zoom()
        restore, self._restore = self._restore, None
        if restore is not None:
            # the scene starts at 0, so a scroll value is a scene coordinate times the scale
            scale = self.zoom()
            self.view.horizontalScrollBar().setValue(round(restore.x() * scale))
            self.view.verticalScrollBar().setValue(round(restore.y() * scale))
        else:
            self.view.verticalScrollBar().setValue(0)
        self.image_loaded.emit()

    def _on_failed(self, token: int, message: str) -> None:
        if token != self._token:
            return
        self.path = None
        message = message or self.tr("unknown reason")
        if self.variant == "screened":
            self.placeholder.setText(self.tr("The screened version cannot be shown here: "
                                             "{message}. Open the screened PDF to check it.")
                                     .format(message=message))
        else:
            self.placeholder.setText(self.tr("The screenshot could not be shown: {message}")
                                     .format(message=message))
        self.stack.setCurrentWidget(self.placeholder)
        self.image_failed.emit(message)

    def has_image(self) -> bool:
        """Whether an image is shown."""
        return not self._image_size.isEmpty()

    def original_size(self) -> QSize:
        """The screenshot's real size in pixels."""
        return QSize(self._original)

    def preview_size(self) -> QSize:
        """The size of the decoded preview (smaller than the original for huge pages)."""
        return QSize(self._image_size)

    # -- zoom -----------------------------------------------------------------------------
    def zoom(self) -> float:
        """The zoom factor relative to the real size (1.0 = 100 %)."""
        if self._fit and not self._original.isEmpty():
            width = max(50, self.view.viewport().width() - 2)
            return width / self._original.width()
        return self._zoom

    def fit_width(self) -> None:
        """Scale to the panel's width (follows resizing)."""
        self._fit = True
        self._apply_zoom()

    def set_zoom(self, factor: float) -> None:
        """Zoom to ``factor`` of the real size."""
        self._fit = False
        self._zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], factor))
        self._apply_zoom()

    def step_zoom(self, direction: int) -> None:
        """One zoom step in (+1) or out (-1)."""
        if not self.has_image():
            return
        current = self.zoom()
        if direction > 0:
            bigger = [z for z in ZOOM_STEPS if z > current + 1e-3]
            self.set_zoom(bigger[0] if bigger else ZOOM_STEPS[-1])
        else:
            smaller = [z for z in ZOOM_STEPS if z < current - 1e-3]
            self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def _on_resized(self) -> None:
        if self._fit:
            self._apply_zoom()

    def _apply_zoom(self) -> None:
        if self._image_size.isEmpty():
            self._update_labels()
            return
        # the preview may be scaled down from the original: zoom is about the original
        per_preview_px = self._original.width() / self._image_size.width()
        scale = self.zoom() * per_preview_px
        self.view.resetTransform()
        self.view.scale(scale, scale)
        self._update_labels()

    def _update_labels(self) -> None:
        self.fit_button.setChecked(self._fit)
        if self._original.isEmpty():
            self.zoom_label.setText("")
            self.size_label.setText("")
            return
        self.zoom_label.setText(self.tr("Size: {percent} %").format(
            percent=f"{self.zoom() * 100:.0f}"))
        self.zoom_label.setToolTip(self.tr("The screenshot is shown at this share of its real "
                                           "size"))
        locale = QLocale()
        self.size_label.setText(self.tr("{width} × {height} px").format(
            width=locale.toString(self._original.width()),
            height=locale.toString(self._original.height())))

    def _set_controls_enabled(self, enabled: bool) -> None:
        for w in (self.fit_button, self.actual_button, self.out_button, self.in_button):
            w.setEnabled(enabled)
