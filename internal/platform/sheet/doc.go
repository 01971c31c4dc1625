// Package sheet is the one way to write and read tabular files (xlsx and
// csv): exports, downloads and imports all go through it, and it is the
// only package that uses excelize.
//
//   - Table is a row source with its columns: a header, which columns are
//     numbers, and the rows in order (from a database cursor, never held in
//     memory). Write sends a Table to a sink.
//   - Sinks: xlsx (NewXLSX) streams the worksheet part itself into an
//     archive/zip writer — excelize builds the rest of the package around an
//     empty sheet, because its File.WriteTo zips the whole workbook into a
//     bytes.Buffer (435 MB of heap for a 1M-row bill); csv (NewCSV) writes
//     UTF-8 with a BOM so spreadsheet programs read Chinese.
//   - The one CSV-injection guard (Safe) is applied by the csv sink to every
//     text cell, so no caller defuses formulas itself; xlsx cells are
//     inline strings, never formulas.
//   - Open reads the rows of an uploaded csv (UTF-8, or GB18030/GBK as Excel
//     saves it on Chinese Windows) or xlsx file, one at a time.
package sheet
