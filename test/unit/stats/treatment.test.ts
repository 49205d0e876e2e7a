import { expect, test } from 'vitest'
import { adoptedIndicator, eventTime, isNeverTreated } from '../../../src/stats/treatment.ts'
import { Frame } from '../../../src/artifacts/frame.ts'
import { compileExpression, evaluate, schemaOf } from '../../../src/expr/index.ts'

const time = Float64Array.of(2012, 2013, 2014, 2013, 2013, NaN)
const adoption = Float64Array.of(2013, 2013, 2013, NaN, 0, 2013)

test('one convention: missing or 0 adoption is never treated; missing time is missing', () => {
  expect([NaN, 0, 2013].map(isNeverTreated)).toEqual([true, true, false])
  expect(Array.from(adoptedIndicator(time, adoption))).toEqual([0, 1, 1, 0, 0, NaN])
  expect(Array.from(eventTime(time, adoption))).toEqual([-1, 0, 1, NaN, NaN, NaN])
})

test('the expression language uses the same convention as did and event-study', () => {
  const frame = Frame.from({ unit: ['a', 'a', 'a', 'b', 'c', 'd'], year: time, pilot: adoption })
  const panel = { unit: 'unit', time: 'year' }
  for (const [src, want] of [['adopted(pilot)', adoptedIndicator(time, adoption)], ['event_time(pilot)', eventTime(time, adoption)]] as const) {
    const { expr } = compileExpression(src, schemaOf(frame, panel))
    expect(Array.from(evaluate(expr, frame, { source: src, panel }).column.data as Float64Array)).toEqual(Array.from(want))
  }
})
