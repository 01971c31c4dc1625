// Package pdf draws the documents the application generates itself — the
// 华为云付款协议 (internal/contract), e-invoices (internal/invoice), the
// partner-bill export (internal/export), the demo scan (internal/demo),
// certificates later — as a thin layer over the library
// github.com/signintech/gopdf. Callers import only this package: a
// Document of A4 pages with text, wrapped text cells, tables whose columns
// wrap or shrink, lines and rectangles.
//
// # Why gopdf
//
// The hand-written PDF 1.4 writer this package used to be relied on Adobe
// STSong-Light being present in the reader (no embedded font), could not
// write runes outside the BMP, and placed text at fixed positions, so long
// amounts ran into the next column. The candidates were tried here with
// the fonts below (a page of mixed Chinese, Latin, digits and ¥, checked
// with pdftotext and pdffonts):
//
//   - github.com/signintech/gopdf v0.33.0 (chosen): parses TrueType
//     fonts and embeds them as CIDFontType2 subsets with Identity-H and a
//     ToUnicode map (pdftotext reads Chinese back exactly); measures text
//     with the font's real widths; tells whether a font has a glyph, which
//     the Latin/CJK fallback below needs; writes no date unless asked, so
//     output stays deterministic. One small dependency (gofpdi).
//   - codeberg.org/go-pdf/fpdf v0.12.0 (the maintained gofpdf): also
//     embeds TrueType subsets with ToUnicode and has cells and
//     MultiCell, and its subsets are smaller (about 15 kB against 55 kB for
//     a short page); but it has no way to ask whether a font has a glyph,
//     so mixing two fonts would have meant parsing the font a second time
//     with another package, and it stamps the current time as ModDate
//     unless every caller remembers to fix both dates.
//   - github.com/johnfercher/maroto/v2 v2.3.3: a grid/row layout on top of
//     gofpdf, with pdfcpu and more. One font per text component, so with
//     Droid Sans Fallback the digits and ¥ of "欠费金额 9,999.99" came out
//     as empty boxes; and documents placed by position (the e-invoice) do
//     not fit its row model.
//
// Both libraries read TrueType outlines only: OpenType/CFF (.otf, e.g.
// fonts-noto-cjk) and collections (.ttc: fonts-wqy-*, fonts-arphic-uming)
// are refused, which is why the fonts are the two below.
//
// # Fonts
//
// Two TrueType fonts from Debian packages (`make setup` and .ci/run install
// them) are embedded as subsets, so a file shows the same everywhere:
//
//   - Droid Sans Fallback (fonts-droid-fallback, CJKFontPath, default
//     DefaultCJKFont): CJK Unified Ideographs with Extension A, full-width
//     punctuation. It has no Latin letters or digits.
//   - Liberation Sans (fonts-liberation2, LatinFontPath, default
//     DefaultLatinFont): Latin, digits, ¥, — and “”, with Helvetica's
//     widths, so amounts look and measure as they did.
//
// Each rune is set in the Latin font if it has it, else in the CJK font;
// a rune neither has (emoji, CJK Extension B, ①) becomes '?', control
// characters become spaces. PDF_CJK_FONT and PDF_LATIN_FONT override the
// paths. A missing or unusable font file makes New return an error that
// wraps ErrFont and names the package to install; nothing panics.
//
// # Pages and coordinates
//
// Pages are A4 portrait (595.28 × 841.89 pt). Positions are in points with
// the origin at the TOP-LEFT corner of the page and y growing downwards.
// For Text, TextRight and TextCenter, y is the baseline; for Cell and
// Table rows, y is the top.
//
// # Layout
//
//   - Text draws one line where it is told; use it for fixed labels.
//   - Cell sets text in a column of a given width: wrapped (Chinese breaks
//     between any two characters, not before 。，） nor after （; Latin
//     words and numbers stay whole when they can) or, with Fit Shrink,
//     first reduced in size down to MinSize and only then wrapped. It
//     returns the height used.
//   - Table is columns of cells side by side; a row is as tall as its
//     tallest cell, with optional grid lines and a grey header band. The
//     caller keeps the y position and asks Height before drawing a row to
//     decide on a page break.
//
// # Checking the layout
//
// The document records the box of every text it draws (advance width ×
// Ascent+Descent around the baseline) and, for cell text, the cell.
// CheckLayout reports boxes that overlap, leave the page, or leave their
// cell; the tests of the documents call it with the longest values they
// can hold, and a test here checks the boxes against pdftotext -bbox.
//
// # Output
//
// Drawing is recorded per page and rendered by Bytes / WriteTo (a PDF 1.7
// file from gopdf; only the fonts used are embedded). Output is
// deterministic for the same calls: no creation date unless SetCreated is
// called, fixed subset tags.
package pdf
