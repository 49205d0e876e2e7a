import { describe, expect, test } from 'vitest'
import { QuasiError, QuasiErrors } from '../../../src/errors.ts'
import { checkExpression, compileExpression, FUNCTIONS, parseExpression, schemaOf } from '../../../src/expr/index.ts'
import { SYNONYMS } from '../../../src/expr/functions/synonyms.ts'
import { Frame } from './run.ts'

const frame = Frame.from({
  city: ['a', 'b'],
  year: [2010, 2011],
  gdp: [1, 2],
  area: [3, 4],
  admin_level: ['prefecture', 'municipality'],
  pilot_year: [2013, NaN],
})
const panel = { unit: 'city', time: 'year' }
const schema = schemaOf(frame, panel)

function errorsOf(src: string, s = schema): QuasiError[] {
  return [...checkExpression(parseExpression(src), src, s).errors]
}

function oneError(src: string, s = schema): QuasiError {
  const errs = errorsOf(src, s)
  expect(errs, `errors of ${src}`).toHaveLength(1)
  return errs[0]
}

describe('names', () => {
  test('unknown column with a suggestion, in the issue format', () => {
    const e = oneError('gdp / gpd')
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toBe('1:7: unknown column "gpd" — did you mean "gdp"?')
    expect(e.offset).toBe(6)
    expect(e.expected).toBe('gdp')
  })

  test('a bare word compared with text is suggested in quotes', () => {
    const e = oneError('admin_level == prefectur')
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toBe('1:16: unknown column "prefectur"')
    expect(e.hint).toBe('to compare with the text prefectur, put it in quotes: admin_level == "prefectur"')
    expect(oneError('city != a2 and gdp > 0').hint).toBe('to compare with the text a2, put it in quotes: city != "a2"')
    // Lists after `in`: every bare word is quoted in the suggestion.
    const [x, y] = errorsOf('admin_level in [prefecture, "city", county]')
    expect(x.hint).toBe('to compare with the text prefecture, put it in quotes: admin_level in ["prefecture", "city", "county"]')
    expect(y.offset).toBe(36)
  })

  test('a bare word far from every column is suggested in quotes even when types are unknown (all numbers)', () => {
    const numbers = { columns: new Map([['region', 'number' as const], ['gdp', 'number' as const]]) }
    expect(oneError('region == north', numbers).hint).toBe('to compare with the text north, put it in quotes: region == "north"')
    // A near miss of a column is a typo, not text.
    const typo = oneError('region == gdpp', numbers)
    expect(typo.message).toBe('1:11: unknown column "gdpp" — did you mean "gdp"?')
    expect(typo.hint).toBeUndefined()
  })

  test('unknown column far from every name lists the columns in the hint', () => {
    const e = oneError('population')
    expect(e.message).toBe('1:1: unknown column "population"')
    expect(e.hint).toContain('gdp')
  })

  test('unknown function with a suggestion; a column used as a function', () => {
    expect(oneError('meen(gdp)').message).toBe('1:1: unknown function "meen" — did you mean "mean"?')
    expect(oneError('frobnicate(gdp)').hint).toContain('functions: log, exp')
    expect(oneError('lgo(gdp)').message).toBe('1:1: unknown function "lgo" — did you mean "log"?')
    expect(oneError('Log(gdp)').message).toBe('1:1: unknown function "Log" — did you mean "log"?')
    expect(oneError('gdp(2)').message).toBe('1:1: gdp is a column, not a function')
  })

  test('other languages\' names for our functions are suggested (ln → log), with a note where they differ', () => {
    expect(oneError('ln(gdp)').message).toBe('1:1: unknown function "ln" — did you mean "log"?')
    expect(oneError('ln(gdp)').hint).toBe('log is the natural logarithm')
    expect(oneError('LN(gdp)').message).toBe('1:1: unknown function "LN" — did you mean "log"?')
    expect(oneError('log10(gdp)').hint).toBe('log is the natural logarithm: write log(x) / log(10)')
    expect(oneError('avg(gdp) by year').message).toBe('1:1: unknown function "avg" — did you mean "mean"?')
    expect(oneError('ifelse(gdp > 1, 1, 0)').message).toContain('did you mean "if"?')
    expect(oneError('isna(gdp)').message).toContain('did you mean "is_missing"?')
    expect(oneError('var(gdp)').hint).toBe('the variance is sd(x) ^ 2')
    // Every synonym names a function that exists.
    for (const [from, s] of SYNONYMS) expect(FUNCTIONS.has(s.name), `${from} → ${s.name}`).toBe(true)
  })

  test('names from Object.prototype are not functions or columns', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(oneError(`${name}(gdp)`).message).toContain(`unknown function "${name}"`)
      expect(oneError(name).code).toBe('MISSING_COLUMN')
    }
  })

  test('unknown by key', () => {
    const e = oneError('mean(gdp) by yaer')
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toBe('1:14: unknown column "yaer" in `by` — did you mean "year"?')
  })

  test('every error is reported, not just the first', () => {
    const errs = errorsOf('gpd + aera + lgo(1)')
    expect(errs.map((e) => e.offset)).toEqual([0, 6, 13])
    try {
      compileExpression('gpd + aera', schema)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(QuasiErrors)
      expect((err as QuasiErrors).errors).toHaveLength(2)
    }
  })

  test('no cascade: an error inside an argument is reported once', () => {
    expect(errorsOf('log(gpd) + 1')).toHaveLength(1)
    expect(errorsOf('lag(gpd, 2)')).toHaveLength(1)
  })
})

describe('arity, options and constants', () => {
  test.each([
    ['log(gdp, 2)', '1:1: log takes 1 argument (log(x)), got 2'],
    ['lag()', '1:1: lag takes 1 or 2 arguments (lag(x, k = 1)), got 0'],
    ['if(gdp > 1, 2)', '1:1: if takes 3 arguments (if(condition, then, else)), got 2'],
    ['winsor(gdp, 0.01)', '1:1: winsor takes 3 arguments'],
    ['pow(gdp)', '1:1: pow takes 2 arguments (pow(x, y)), got 1'],
  ])('%s', (src, message) => {
    expect(oneError(src).message).toContain(message)
  })

  test.each([
    ['lag(gdp, 1.5)', "1:10: lag's k must be a whole number >= 0"],
    ['lead(gdp, -1)', "1:11: lead's k must be a whole number >= 0"],
    ['diff(gdp, year)', "1:11: diff's k must be a whole number"],
    ['winsor(gdp, 0.01, 1.5)', "1:19: winsor's upper cut must be a constant between 0 and 1"],
    ['winsor(gdp, gdp, 0.9)', "1:13: winsor's lower cut must be a constant"],
    ['winsor(gdp, 0.9, 0.1)', "1:13: winsor's lower cut 0.9 is above its upper cut 0.1"],
    ['winsor(gdp, 0.01, 0.99; quantile: "type6")', '1:35: quantile must be one of "r7", "stata"'],
    ['winsor(gdp, 0.01, 0.99; qauntile: "r7")', '1:25: unknown option "qauntile" of winsor — did you mean "quantile"?'],
    ['log(gdp; base: 10)', '1:10: log takes no options'],
    ['entropy(gdp, area; negative: area)', '1:30: negative: takes a list'],
    ['entropy(gdp, area; shift: -1)', '1:27: shift: must be a constant >= 0'],
    ['entropy(gdp)', '1:1: entropy() needs at least 2 indicators'],
    ['entropy(gdp, area; shift: 0, shift: 1)', '1:30: option shift is given twice'],
    ['mean(gdp) by year + [1]', '1:21: a list [...] can only follow `in`'],
  ])('%s', (src, message) => {
    expect(oneError(src).message).toContain(message)
  })

  test('by on a function that is not a group function', () => {
    const e = oneError('lag(gdp) by city')
    expect(e.message).toContain('1:10: `by` applies to group functions (mean, sum, min, max, sd, median, count, standardize, rank, winsor, entropy); lag is not one')
  })

  test('panel functions need the panel', () => {
    const noPanel = schemaOf(frame)
    for (const f of ['lag(gdp)', 'lead(gdp)', 'diff(gdp)', 'adopted(pilot_year)', 'event_time(pilot_year)']) {
      expect(oneError(f, noPanel).message).toContain('needs the panel\'s unit and time: declare panel:')
    }
    const e = oneError('lag(gdp)', schemaOf(frame, { unit: 'county', time: 'year' }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toContain('lag needs the panel column "county"')
    expect(errorsOf('adopted(pilot_year)', schemaOf(frame, { unit: 'county', time: 'year' }))).toHaveLength(0)
  })
})

describe('types', () => {
  test.each([
    ['gdp + admin_level', '1:5: type mismatch: "+" needs numbers on both sides, but admin_level is a text column'],
    ['admin_level == 3', '1:13: type mismatch: cannot compare admin_level (text) with 3 (a number); write "3" to compare with text'],
    ['gdp == "3"', '1:5: type mismatch: cannot compare gdp (a number) with "3" (text)'],
    ['admin_level < "z"', '1:13: type mismatch: "<" orders numbers; text can only be compared with == and !='],
    ['-admin_level', '1:1: type mismatch: "-" needs a number, but admin_level is a text column'],
    ['not admin_level', '1:1: type mismatch: "not" needs a number'],
    ['log(admin_level)', '1:5: type mismatch: argument 1 of log must be a number, but admin_level is a text column'],
    ['if(gdp > 1, "x", 2)', '1:18: type mismatch: the branches of if() must both be numbers or both be text'],
    ['admin_level in ["a", 1]', '1:22: type mismatch: admin_level (text) cannot be compared with 1 (a number)'],
    ['gdp and "x"', '1:5: type mismatch: "and" needs numbers on both sides, but "x" is text'],
    ['entropy(gdp, area; negative: [admin_level])', '1:31: type mismatch: an entropy indicator must be numeric'],
  ])('%s', (src, message) => {
    expect(oneError(src).message).toContain(message)
  })

  test('result types', () => {
    expect(compileExpression('gdp / area', schema).type).toBe('number')
    expect(compileExpression('admin_level', schema).type).toBe('string')
    expect(compileExpression('if(gdp > 1, "rich", admin_level)', schema).type).toBe('string')
    expect(compileExpression('admin_level == "prefecture"', schema).type).toBe('number')
    expect(compileExpression('is_missing(admin_level)', schema).type).toBe('number')
    expect(compileExpression('count(admin_level) by year', schema).type).toBe('number')
  })
})
