"""The briefing as one self-contained, accessible web page (and the HTML for the PDF).

GOV.UK Design System typography and colours (plain sans-serif, 19px body, bold headings,
black text, yellow focus) without its branding: the partnership is not GOV.UK, so there is
no crown and no GDS Transport font. Everything is in the one file: no scripts, no external
styles or fonts, so it can be emailed or put on an intranet as it is. Each part is a
section labelled by its numbered heading ("1. Background"), so a screen reader's list of
headings reads as the briefing's outline.
"""

from __future__ import annotations

from html import escape

from joinedup.briefings.render import DRAFT_MARK, BriefingDocument, blocks

SCREEN_CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { background: #f3f2f1; }
body { margin: 0; background: #ffffff; color: #0b0c0c;
  font: 400 1.1875rem/1.3157 "Helvetica Neue", Helvetica, Arial, sans-serif;
  -webkit-font-smoothing: antialiased; }
.width { max-width: 960px; margin: 0 auto; padding: 0 15px; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { position: static; display: block; padding: 10px 15px;
  background: #ffdd00; color: #0b0c0c; outline: 3px solid #ffdd00; }
a { color: #1d70b8; }
a:focus { outline: 3px solid transparent; background: #ffdd00; color: #0b0c0c;
  box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; text-decoration: none; }
.header { background: #0b0c0c; color: #ffffff; border-bottom: 10px solid #1d70b8; }
.header p { margin: 0; padding: 15px 0; font-weight: 700; font-size: 1.5rem; }
.draft { background: #d4351c; color: #ffffff; font-weight: 700; padding: 10px 0;
  letter-spacing: 0.02em; }
.draft p { margin: 0; }
main { padding: 30px 15px 45px; }
.caption { color: #505a5f; font-size: 1.1875rem; margin: 0 0 5px; }
h1 { font-size: 2.5rem; line-height: 1.1; font-weight: 700; margin: 0 0 20px; }
.lead { font-size: 1.5rem; margin: 0 0 30px; }
h2 { font-size: 1.5rem; line-height: 1.25; font-weight: 700; margin: 0 0 15px; }
.part { border-top: 1px solid #b1b4b6; padding: 20px 0 5px; }
.number { display: inline-block; min-width: 1.6em; padding: 0 0.3em; margin-right: 0.3em;
  background: #1d70b8; color: #ffffff; text-align: center; border-radius: 0.8em; }
p { margin: 0 0 20px; max-width: 38em; }
ul, ol { margin: 0 0 20px; padding-left: 20px; max-width: 38em; }
li { margin-bottom: 5px; }
.questions { border-top: 5px solid #1d70b8; padding-top: 20px; margin-top: 10px; }
footer { border-top: 1px solid #b1b4b6; color: #505a5f; font-size: 1rem; padding: 20px 0; }
.watermark { display: none; }
"""

PRINT_CSS = """
@page { size: A4; margin: 14mm 15mm 14mm 15mm;
  @bottom-left { content: string(partnership); font: 8pt Arial, sans-serif; color: #505a5f; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 8pt Arial, sans-serif; color: #505a5f; } }
html, body { background: #ffffff; }
body { font: 9.5pt/1.35 "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
.width { max-width: none; padding: 0; }
.skip-link { display: none; }
.header { background: none; color: #0b0c0c; border-bottom: 3pt solid #1d70b8; }
.header p { padding: 0 0 2mm; font-size: 11pt; string-set: partnership content(); }
.draft { margin-top: 2mm; padding: 1.5mm 2mm; }
main { padding: 3mm 0 0; }
h1 { font-size: 17pt; margin-bottom: 2mm; }
.caption { font-size: 9.5pt; }
.lead { font-size: 10pt; margin-bottom: 3mm; }
h2 { font-size: 11.5pt; margin: 0 0 1.5mm; }
.part { padding: 2.5mm 0 0; break-inside: avoid-page; }
p, ul, ol { margin-bottom: 2mm; max-width: none; }
li { margin-bottom: 0.5mm; }
.questions { margin-top: 2mm; padding-top: 2.5mm; border-top-width: 2pt; break-inside: avoid; }
footer { font-size: 8pt; padding: 2mm 0 0; }
.watermark { display: block; position: fixed; top: 110mm; left: 10mm; width: 170mm;
  text-align: center; font: bold 72pt Arial, sans-serif; color: rgba(212, 53, 28, 0.12);
  transform: rotate(-35deg); }
"""


def _blocks_html(text: str) -> str:
    out = []
    for block in blocks(text):
        if block.kind == "ul":
            out.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in block.lines)
                       + "</ul>")
        else:
            out.append(f"<p>{escape(block.lines[0])}</p>")
    return "".join(out) or '<p class="empty">(Not written yet.)</p>'


def to_html(doc: BriefingDocument, for_print: bool = False) -> str:
    """The whole page. ``for_print`` adds the A4 page rules used for the PDF."""
    sections = []
    for number, label, text in doc.parts:
        sections.append(
            f'<section class="part" id="part-{number}" aria-labelledby="part-{number}-heading">'
            f'<h2 id="part-{number}-heading"><span class="number">{number}.</span> '
            f"{escape(label)}</h2>{_blocks_html(text)}</section>")
    if doc.questions:
        items = "".join(f"<li>{escape(q)}</li>" for q in doc.questions)
        sections.append('<section class="questions" aria-labelledby="questions-heading">'
                        '<h2 id="questions-heading">Questions for your team</h2>'
                        f"<ol>{items}</ol></section>")
    draft = (f'<div class="draft" role="note"><p class="width">{escape(DRAFT_MARK)}. '
             "This text has not been published.</p></div>") if doc.draft else ""
    watermark = '<div class="watermark" aria-hidden="true">DRAFT</div>' \
        if doc.draft and for_print else ""
    published = (f"Published by {escape(doc.partnership)} on "
                 f"{doc.published_on.day} {doc.published_on:%B %Y}. ") \
        if doc.published_on else ""
    footer = (f"<footer><p>{published}The child is called {escape(doc.pseudonym)} to protect "
              "the family's privacy. Record your team's discussion of this briefing with "
              "your partnership.</p></footer>")
    lead = (f'<p class="lead">Read aloud in about {escape(doc.reading_time)}, then talk it '
            "through with your team.</p>") if doc.reading_time else ""
    css = SCREEN_CSS + (PRINT_CSS if for_print else "")
    title = escape(f"{doc.title} - {doc.partnership}")
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{css}</style></head><body>"
        '<a class="skip-link" href="#main">Skip to the briefing</a>'
        f'<header class="header"><div class="width"><p>{escape(doc.partnership)}</p></div>'
        f"</header>{draft}{watermark}"
        f'<main id="main" class="width"><p class="caption">7-minute briefing</p>'
        f"<h1>{escape(doc.title)}</h1>{lead}{''.join(sections)}{footer}</main>"
        "</body></html>\n")
