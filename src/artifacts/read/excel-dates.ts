/**
 * Excel dates: a number with a date or time format is a serial count of days, and the reader
 * turns it into ISO 8601 text. The same code serves .xlsx and .xls, so a workbook saved in
 * either format gives the same text.
 *
 * ## Conventions (readxl's, which follow Excel's own display)
 * - 1900 date system: serial 1 is 1900-01-01. Excel counts a 1900-02-29 that never was (a bug
 *   kept from Lotus 1-2-3) as serial 60, so serials from 61 on are days since 1899-12-30 and
 *   serials below 60 are days since 1899-12-31: 59 is 1900-02-28, 61 is 1900-03-01. Serial 60
 *   itself (and anything in [60, 61)) names no real day and is missing, with a warning;
 *   so is a negative serial, which Excel shows as ####. A time without a date (0.5 as `h:mm`) is on 1899-12-31.
 * - 1904 date system (old Mac workbooks, `date1904`): serial 0 is 1904-01-01.
 * - Rounded to the nearest millisecond, half away from zero. Excel stores 11:30 as
 *   0.47916666666666669; truncating (as read-excel-file 9.3.17 does) gives 11:29:59.999 for
 *   many minutes of a day.
 *
 * ## References
 * ECMA-376 Part 1, §18.17.4 (date systems), §18.8.30 (numFmt: built-in date formats);
 * readxl `src/utils.h` (`POSIXctFromSerial`, `dateRound`, `isDateFormat`).
 */

/** A number with a date or time format: its serial day count, converted by `excelDateText`. */
export class ExcelDate {
  constructor(readonly serial: number) {}
}

/** Days from 1899-12-30 (1900 system, serial ≥ 61) or 1904-01-01 (1904 system) to 1970-01-01. */
const UNIX_EPOCH_1900 = 25569
const UNIX_EPOCH_1904 = 24107

/**
 * A date-formatted number as ISO text: `2020-03-01` at midnight, else `2021-07-15T12:30:00`
 * (with `.123` when there are milliseconds). `undefined` for a serial that names no day.
 */
export function excelDateText(serial: number, date1904: boolean): string | undefined {
  let s = serial
  // Excel shows no date for a negative serial (####); readxl gives serials in [-1, 0) as 1899-12-30.
  if (!Number.isFinite(s) || s < 0) return undefined
  if (!date1904 && s < 61) {
    if (s >= 60) return undefined
    s += 1
  }
  // As readxl: seconds since 1970, then milliseconds rounded half away from zero.
  const x = (s - (date1904 ? UNIX_EPOCH_1904 : UNIX_EPOCH_1900)) * 86400 * 1000
  const d = new Date(x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5))
  if (Number.isNaN(d.getTime())) return undefined
  const iso = d.toISOString()
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10)
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23)
}

/**
 * Whether a number format shows a date or time. Quoted text, backslash escapes, `_x`/`*x`
 * spacing and `[...]` sections (colours, locales, conditions) are removed first, except the
 * elapsed-time codes `[h]`, `[mm]`, `[ss]`; then any of d, m, y, h, s (either case) means a
 * date or time. `General` and plain number formats have none. Built-in formats arrive as
 * their format text (`14` as `m/d/yy`, the CJK ids 27–36 and 50–58 as `[$-404]e/m/d` and
 * similar), so they are covered by the same test.
 */
export function isDateFormat(format: string | undefined): boolean {
  if (!format || format === 'General') return false
  let s = format.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/[_*]./g, '')
  if (/\[(?:h+|m+|s+)\]/i.test(s)) return true
  s = s.replace(/\[[^\]]*\]/g, '')
  return /[dmyhs]/i.test(s)
}
