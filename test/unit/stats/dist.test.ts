/** p-values and quantiles against R (pt, qt, pf, pchisq); fixture from test/fixtures/ols/make.R. */
import { test } from 'vitest'
import { chisqPValue, fPValue, tPValue, tQuantile } from '../../../src/stats/dist.ts'
import fixture from '../../fixtures/ols/dist.json' with { type: 'json' }
import { expectClose } from './helpers.ts'

/** stdlib and R's nmath are both accurate to a few ulps; 1e-12 leaves room for their different series. */
const DIST_TOL = { rel: 1e-12, abs: 1e-300 }
/** 1 − F(x) loses relative precision for tiny upper tails (documented in dist.ts). */
const UPPER_TAIL_TOL = { rel: 1e-9, abs: 1e-15 }

test.each(fixture.cases.map((c) => [`${c.fn}(${c.x}, ${c.df}${'df2' in c ? `, ${c.df2}` : ''})`, c] as const))('%s', (label, c) => {
  switch (c.fn) {
    case 'tPValue': return expectClose(tPValue(c.x, c.df), c.value, DIST_TOL, label)
    case 'tQuantile': return expectClose(tQuantile(c.x, c.df), c.value, DIST_TOL, label)
    case 'fPValue': return expectClose(fPValue(c.x, c.df, (c as { df2: number }).df2), c.value, UPPER_TAIL_TOL, label)
    case 'chisqPValue': return expectClose(chisqPValue(c.x, c.df), c.value, UPPER_TAIL_TOL, label)
    default: throw new Error(`unknown case ${c.fn}`)
  }
})
