"""Printable documents of the desk (job card, invoice): one A4 layout of labelled rows, Chinese in the
built-in CID font STSong-Light (no font files to ship), Latin text in Helvetica so plates, VINs and numbers
stay searchable; pages are left uncompressed for the same reason."""
import io

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"


def labelled_pdf(heading, title, rows, label_width_mm=45, image=None, image_unreadable_text=""):
    """PDF bytes: `heading` on top, then (label, text) rows wrapped to the page; `image` (PNG/JPEG bytes) below."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(title)
    width, height = A4
    left, label_width, size = 18 * mm, label_width_mm * mm, 10
    y = height - 20 * mm
    _draw_mixed(pdf, left, y, heading, 16)
    y -= 12 * mm
    for label, text in rows:
        for i, line in enumerate(_wrapped(str(text), width - 2 * left - label_width, size)):
            if y < 20 * mm:
                pdf.showPage()
                y = height - 20 * mm
            if i == 0 and label:
                _draw_mixed(pdf, left, y, label, size)
            _draw_mixed(pdf, left + label_width, y, line, size)
            y -= 6 * mm
    if image:
        y -= 25 * mm
        if y < 20 * mm:
            pdf.showPage()
            y = height - 45 * mm
        try:
            pdf.drawImage(ImageReader(io.BytesIO(image)), left + label_width, y, width=60 * mm, height=25 * mm,
                          preserveAspectRatio=True, mask="auto")
        except Exception:  # noqa: BLE001  bytes that only begin like an image: say so instead of failing the page
            _draw_mixed(pdf, left + label_width, y, image_unreadable_text, size)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _runs(text):
    """Text split into runs of Latin (Helvetica) and the rest (STSong-Light)."""
    runs = []
    for char in text:
        font = LATIN_FONT if ord(char) < 128 else CJK_FONT
        if runs and runs[-1][0] == font:
            runs[-1][1] += char
        else:
            runs.append([font, char])
    return runs


def _draw_mixed(pdf, x, y, text, size):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    for font, run in _runs(text):
        pdf.setFont(font, size)
        pdf.drawString(x, y, run)
        x += stringWidth(run, font, size)


def _wrapped(text, width, size):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def measure(s):
        return sum(stringWidth(run, font, size) for font, run in _runs(s))

    lines, line = [], ""
    for char in text:
        if measure(line + char) > width and line:
            lines.append(line)
            line = ""
        line += char
    return lines + [line] if line or not lines else lines
