// Package pdf is a small, dependency-free PDF 1.4 writer for the documents
// the application generates itself: contract PDFs (华为云付款协议), e-invoice
// copies and similar one- or few-page documents with text, lines and simple
// tables. It is not a layout engine: callers place text at positions.
//
// # Pages and coordinates
//
// Pages are A4 portrait (595.28 × 841.89 pt). Positions are in points with the
// origin at the TOP-LEFT corner of the page and y growing downwards, the way a
// page is laid out by hand; the writer converts to PDF's bottom-left user
// space. For text, (x, y) is the start of the baseline.
//
// # Fonts
//
//   - Song: the Adobe standard CID font STSong-Light, as a Type0 font with a
//     CIDFontType0 descendant, encoding UniGB-UCS2-H and CIDSystemInfo
//     Adobe-GB1-2 (Registry Adobe, Ordering GB1, Supplement 2). The font is not
//     embedded: every conforming reader ships it or a substitute from the
//     Adobe-GB1 collection, so files stay a few kilobytes and Chinese shows
//     everywhere. Strings are written as UTF-16BE hex strings (<4E2D6587>);
//     under UniGB-UCS2-H a code unit is a BMP code point. Runes outside the
//     BMP (emoji, CJK Extension B …) cannot be encoded and become '?'.
//     A /ToUnicode CMap is included so text extraction (pdftotext, copy and
//     paste, search) returns the original characters without poppler-data.
//     Widths: everything outside ASCII is 1000/1000 em (full width). Text
//     drawn with Song sets runs of printable ASCII in Helvetica inside the
//     same text object, because readers substitute STSong-Light with
//     different Latin glyphs whose widths the file cannot know; ASCII CIDs
//     (1–95, proportional Latin of Adobe-GB1) are still declared 500/1000 em
//     for anything that shows them.
//   - Helvetica and HelveticaBold: the standard 14 Type1 fonts with
//     WinAnsiEncoding for Latin-only text (numbers, codes, amounts). Only
//     printable ASCII is written; any other rune becomes '?'. Literal strings
//     escape ( ) and \.
//
// In both fonts control characters (newline, tab …) become spaces: Text draws
// one line; use Wrap to break a paragraph into lines that fit a width.
//
// # Output
//
// Bytes / WriteTo produce the whole file at once (streaming is not needed for
// documents of a few pages): header %PDF-1.4 with a binary comment, numbered
// objects, a cross-reference table whose offsets point exactly at the
// "n 0 obj" lines, trailer, startxref and %%EOF. Page content streams and the
// ToUnicode CMap are Flate-compressed (compress/zlib). Output is deterministic
// for the same calls (no creation date unless SetCreated is called), which
// keeps tests and stored files comparable.
package pdf
