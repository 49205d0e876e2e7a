/**
 * Issue 9: spreading a large array into a call (`Math.min(...v)`, `push(...v)`) throws
 * "Maximum call stack size exceeded" from about 125,000 elements: measure-gie crashed after
 * solving every LP of a large panel. Each function that spread an array which can be that
 * large now loops; these tests give it 200,000 elements.
 */
import { describe, expect, test } from 'vitest'
import { QuasiError, QuasiErrors } from '../../src/errors.ts'
import { StageGraph } from '../../src/graph/graph.ts'
import { renderDag } from '../../src/graph/render.ts'
import { columnsRead, parseExpression } from '../../src/expr/index.ts'
import { frontierGroups } from '../../src/stats/dea/frontier.ts'
import { stats } from '../../stages/measure-gie/outputs.ts'

// Node 20 throws from about 130,000 arguments; 200,000 leaves a margin for larger stacks.
const N = 200_000

describe('arrays of 200,000 elements', () => {
  test('measure-gie summary statistics (scores of 200,000 DMUs)', () => {
    const scores = Float64Array.from({ length: N }, (_, i) => 0.5 + i / (2 * N))
    scores[7] = NaN
    const s = stats(scores)
    expect(s).toMatchObject({ n: N - 1, min: 0.5, max: 0.5 + (N - 1) / (2 * N) })
  })

  test('a frontier whose year holds 200,000 DMUs', () => {
    const period = new Int32Array(N)
    for (const f of ['global', 'sequential', 'window'] as const) expect(frontierGroups(period, 1, f, 3)[0].ref.length).toBe(N)
  })

  test('the exit status of 200,000 errors', () => {
    const errors = new Array<QuasiError>(N).fill(new QuasiError('MISSING_COLUMN', 'x'))
    errors[5] = new QuasiError('STAGE_FAILED', 'y')
    expect(new QuasiErrors(errors).exitStatus).toBe(2)
  })

  test('a stage with 200,000 dependents: closure and the text dag', () => {
    const nodes = [{ name: 'root', deps: [] }, ...Array.from({ length: N }, (_, i) => ({ name: `s${i}`, deps: ['root'] }))]
    const g = new StageGraph(nodes)
    expect(g.downstreamClosure(['root']).size).toBe(N + 1)
    expect(renderDag(g, new Map(), 'text').trimEnd().split('\n')).toHaveLength(N + 1)
  })

  test('the columns an expression with a list of 200,000 items reads', () => {
    const src = `x in [${Array.from({ length: N }, (_, i) => `c${i}`).join(', ')}]`
    expect(columnsRead(parseExpression(src)).size).toBe(N + 1)
  })
})
