/**
 * event-compare on the simulated staggered panel (test/fixtures/staggered): it overlays the
 * event studies other stages publish; the series are read as published (checked against the
 * event-study stage's own estimates), laid out side by side, and compared by the facts.
 */
import { describe, expect, test } from 'vitest'
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageResult } from '../../src/stage.ts'
import eventCompare from '../../stages/event-compare/stage.ts'
import type { EventCompareParams } from '../../stages/event-compare/params.ts'
import eventStudy from '../../stages/event-study/stage.ts'
import type { EventStudyParams } from '../../stages/event-study/params.ts'
import { makeTestContext } from '../helpers/context.ts'
import { readCsvFrame } from '../unit/stats/helpers.ts'

const panel = { unit: 'unit', time: 'year' }
const frame: Frame = readCsvFrame('test/fixtures/staggered/panel.csv')

async function es(over: Partial<EventStudyParams> = {}): Promise<StageResult> {
  const ctx = makeTestContext<EventStudyParams>({
    params: { from: 'data', outcome: 'y', treatment: { adoption: 'adopt' }, cluster: 'unit', window: [-4, 5], reference: -1, controls_group: 'never', level: 0.95, digits: 3, ...over } as EventStudyParams,
    inputs: { data: frame }, panel, stage: 'es', kind: 'event-study',
  })
  return eventStudy.run(ctx)
}

/** A series as a staggered-adoption stage publishes it: uniform band, no reference period. */
const csLike = {
  kind: 'cs-did',
  data: {
    event_study: {
      level: 0.95, band: 'uniform',
      periods: [-2, -1, 0, 1, 2].map((k) => ({ k, estimate: k < 0 ? 0.01 * k : 0.5 + 0.1 * k, std_error: 0.05, low: (k < 0 ? 0.01 * k : 0.5 + 0.1 * k) - 0.13, high: (k < 0 ? 0.01 * k : 0.5 + 0.1 * k) + 0.13, reference: false })),
    },
  },
}

async function compare(inputs: Record<string, unknown>, params: Partial<EventCompareParams> = {}) {
  const ctx = makeTestContext<EventCompareParams>({
    params: { stages: Object.keys(inputs), offset: 0.15, digits: 3, ...params } as EventCompareParams,
    inputs: inputs as never, panel, stage: 'compare', kind: 'event-compare',
  })
  return { result: await eventCompare.run(ctx), ctx }
}

async function codeOf(p: Promise<unknown>): Promise<QuasiError> {
  try { await p } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

describe('event-compare', () => {
  test('reads each series as published, with facts, table, CSV and figure', async () => {
    const twfe = await es()
    const { result, ctx } = await compare({ es: { kind: 'event-study', data: twfe.data, model: twfe.model }, cs: csLike })
    const f = result.facts!
    expect(f.estimators).toBe(2)
    // the TWFE series is the event-study stage's own coefficients and intervals
    const tidy = twfe.model!.models[0].terms
    for (const [k, term] of [[0, 'current'], [3, 'post3'], [-3, 'pre3']] as const) {
      const t = tidy.find((x) => x.term === term)!
      expect(f[`estimate(es,${k})`]).toBe(t.estimate)
      expect(f[`se(es,${k})`]).toBe(t.stdError)
      expect(f[`low(es,${k})`]).toBe(t.confLow)
      expect(f[`high(es,${k})`]).toBe(t.confHigh)
    }
    expect(f['estimate(es,-1)']).toBe(0)
    expect(f['se(es,-1)']).toBeUndefined()
    expect(f['estimate(cs,2)']).toBeCloseTo(0.7, 12)
    // the largest gap after adoption, over event times both estimate (0, 1, 2)
    const gaps = [0, 1, 2].map((k) => Math.abs(f[`estimate(es,${k})`] - f[`estimate(cs,${k})`]))
    expect(f.max_gap).toBe(Math.max(...gaps))

    const csv = (result.files!['estimates.csv'] as string).trim().split('\n')
    expect(csv[0]).toBe('estimator,stage,kind,k,estimate,std_error,low,high,reference,band,level')
    expect(csv.filter((l) => l.includes(',cs,')).length).toBe(5)
    expect(csv.find((l) => l.includes(',cs,') && l.includes(',2,'))).toContain(',uniform,')
    const md = result.files!['compare.md'] as string
    expect(md).toContain('| Event time | TWFE event study | Callaway and Sant\'Anna (2021) |')
    expect(md).toContain('0 (ref.)')
    expect(md).toContain('simultaneous (uniform) band')
    const svg = result.files!['compare.svg'] as string
    expect(svg).toMatch(/^<svg/)
    expect(svg).toContain('TWFE event study')
    expect(ctx.logs.some((l) => l.level === 'warn')).toBe(false)
  })

  test('estimators sit side by side: the offset moves each series off the integer event time', async () => {
    const twfe = await es()
    const spec = (await import('../../src/report/figure.ts')).eventOverlayPlot(
      [{ label: 'A', points: [{ k: 0, estimate: 1, low: 0, high: 2, reference: false }] }, { label: 'B', points: [{ k: 0, estimate: 1, low: 0, high: 2, reference: false }] }, { label: 'C', points: [{ k: 0, estimate: 1, low: 0, high: 2, reference: false }] }],
      { xTitle: 'x', yTitle: 'y', offset: 0.2 },
    ) as unknown as { data: { values: { series: string; x: number }[] } }
    expect(spec.data.values.map((v) => v.x)).toEqual([-0.2, 0, 0.2])
    const a = await compare({ es: { kind: 'event-study', data: twfe.data }, cs: csLike }, { offset: 0 })
    const b = await compare({ es: { kind: 'event-study', data: twfe.data }, cs: csLike }, { offset: 0.3 })
    expect(a.result.files!['compare.svg']).not.toBe(b.result.files!['compare.svg'])
  })

  test('window, labels, two stages of one kind, and a different level warns', async () => {
    const a = await es(), b = await es({ controls_group: 'not-yet', level: 0.9 })
    const { result, ctx } = await compare({ es: { kind: 'event-study', data: a.data }, es_ny: { kind: 'event-study', data: b.data } }, { window: [0, 3], labels: { es_ny: 'Not yet treated' } })
    expect(result.data).toMatchObject({ event_times: [0, 1, 2, 3] })
    expect(result.facts!['estimate(es,-2)']).toBeUndefined()
    expect(result.files!['compare.md']).toContain('| Event time | TWFE event study: es | Not yet treated |')
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('different levels'))).toBe(true)
  })

  test('bad input: a stage without an event-study series; labels of an unlisted stage; a window without estimates', async () => {
    const e = await codeOf(compare({ cs: csLike, baseline: { kind: 'did', data: { term: 'did' } } }))
    expect(e.code).toBe('INVALID_VALUE')
    expect(e.param).toEqual(['stages', 1])
    expect(e.message).toContain('`baseline` (did) publishes no event-study series')
    const errs = eventCompare.check!({ stages: ['cs'], labels: { sa: 'x' }, offset: 0.15, digits: 3 })
    expect(errs[0].param).toEqual(['labels', 'sa'])
    expect(eventCompare.check!({ stages: ['cs'], window: [3, -3], offset: 0.15, digits: 3 })[0].param).toEqual(['window'])
    const w = await codeOf(compare({ cs: csLike }, { window: [7, 9] }))
    expect(w.param).toEqual(['window'])
  })

  test('byte-identical outputs on a rerun', async () => {
    const twfe = await es()
    const a = await compare({ es: { kind: 'event-study', data: twfe.data }, cs: csLike })
    const b = await compare({ es: { kind: 'event-study', data: twfe.data }, cs: csLike })
    expect(a.result.files).toEqual(b.result.files)
  })
})
