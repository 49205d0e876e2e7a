import { describe, expect, test } from 'vitest'
import { Frame, failure, values } from './run.ts'

const NA = NaN
const panel = { unit: 'city', time: 'year' }

// Rows deliberately out of order; city a has no 2011 (a gap), city b starts in 2010.
const f = Frame.from({
  city: ['a', 'b', 'a', 'a', 'b', 'a', 'b', null],
  year: [2012, 2011, 2009, 2010, 2010, 2013, 2012, 2010],
  gdp: [40, 210, 10, 20, 200, 50, NA, 999],
})

describe('lag, lead, diff follow the time index within unit', () => {
  test('lag of 2010 is the 2009 value of the same unit; a gap gives missing, never the previous row', () => {
    // a: 2009 10, 2010 20, (2011 absent), 2012 40, 2013 50; b: 2010 200, 2011 210, 2012 NA
    expect(values('lag(gdp)', f, panel)).toEqual([null, 200, null, 10, null, 40, 210, null])
  })

  test('lag with k = 2, k = 0', () => {
    expect(values('lag(gdp, 2)', f, panel)).toEqual([20, null, null, null, null, null, 200, null])
    expect(values('lag(gdp, 0)', f, panel)).toEqual([40, 210, 10, 20, 200, 50, null, null])
  })

  test('lead', () => {
    expect(values('lead(gdp)', f, panel)).toEqual([50, null, 20, null, 210, null, null, null])
    expect(values('lead(gdp, 3)', f, panel)).toEqual([null, null, 40, 50, null, null, null, null])
  })

  test('diff and growth rates', () => {
    expect(values('diff(gdp)', f, panel)).toEqual([null, 10, null, 10, null, 10, null, null])
    expect(values('diff(gdp, 2)', f, panel)).toEqual([20, null, null, null, null, null, null, null])
    const g = values('diff(log(gdp))', f, panel)
    expect(g[3]).toBeCloseTo(Math.log(2), 14)
  })

  test('lag of an expression shifts the values of the expression', () => {
    expect(values('lag(gdp * 2 + 1)', f, panel)).toEqual([null, 401, null, 21, null, 81, 421, null])
  })

  test('numeric unit ids work the same as text ids', () => {
    const h = Frame.from({ id: [7, 7, 8, 8], t: [2001, 2002, 2002, 2001], v: [1, 2, 3, 4] })
    expect(values('lag(v)', h, { unit: 'id', time: 't' })).toEqual([null, 1, 4, null])
  })

  test('duplicate (unit, time) is a DUPLICATE_PANEL_KEY error naming the rows', () => {
    const d = Frame.from({ city: ['a', 'a', 'a'], year: [2010, 2011, 2010], gdp: [1, 2, 3] })
    const e = failure('1 + lag(gdp)', d, panel)
    expect(e.code).toBe('DUPLICATE_PANEL_KEY')
    expect(e.message).toBe('1:5: lag needs one row per (city, year), but city "a" has rows 1 and 3 in year 2010')
    expect(e.offset).toBe(4)
  })

  test('non-integer times are a BAD_PANEL_TIME error', () => {
    const d = Frame.from({ city: ['a', 'a'], year: [2010, 2010.5], gdp: [1, 2] })
    const e = failure('lead(gdp)', d, panel)
    expect(e.code).toBe('BAD_PANEL_TIME')
    expect(e.message).toContain('lead needs whole-number times, but year is 2010.5 in row 2')
  })
})

describe('treatment helpers', () => {
  const t = Frame.from({
    city: ['p', 'p', 'p', 'q', 'q', 'r', 'r', 's'],
    year: [2012, 2013, 2015, 2012, 2016, 2012, NA, 2014],
    pilot_year: [2013, 2013, 2013, NA, NA, 0, 0, 2017],
  })

  test('adopted: 1 from the adoption year on, 0 before and for never-treated (missing or 0)', () => {
    expect(values('adopted(pilot_year)', t, panel)).toEqual([0, 1, 1, 0, 0, 0, null, 0])
  })

  test('event_time: years since adoption, missing for never-treated', () => {
    expect(values('event_time(pilot_year)', t, panel)).toEqual([-1, 0, 2, null, null, null, null, -3])
  })

  test('helpers compose: binned event time and a DiD interaction', () => {
    expect(values('if(event_time(pilot_year) < -2, -2, event_time(pilot_year))', t, panel)).toEqual([-1, 0, 2, null, null, null, null, -2])
    expect(values('adopted(pilot_year) * (city == "p")', t, panel)).toEqual([0, 1, 1, 0, 0, 0, null, 0])
  })
})
