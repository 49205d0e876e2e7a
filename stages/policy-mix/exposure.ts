/**
 * The exposure indicators of a policy mix, built from the adoption years as did builds its
 * treatment (src/stats/treatment.ts: missing or 0 = never adopted):
 *   post_p,it = 1{t ≥ A_p,i},
 *   a_only = post_a (1 − post_b),  b_only = post_b (1 − post_a),  both = post_a post_b,
 * so "both" is on from the later of the two adoption years. The pairwise products `a:b` are
 * left to the regression kernel, which multiplies the columns itself.
 *
 * The checks here run on the estimation table before any fit, so that a design that cannot
 * be estimated is named by its policies: a policy with no adopter (or adopted by every row),
 * two policies with the same timing everywhere, whose product equals each of them, and a
 * pair no unit has both of, whose product is 0 everywhere.
 */
import { numberColumn, type Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext } from '../../src/stage.ts'
import { suggest } from '../../src/suggest.ts'
import { adoptedIndicator, isNeverTreated } from '../../src/stats/treatment.ts'
import { BOTH_TERM, onlyTerm, type Policy } from './policies.ts'

/**
 * The adoption columns exist and are numeric. A column with no value at all is read as text;
 * it is a policy nobody adopts, returned as a numeric column of missing years so that
 * checkIdentification can say so.
 */
export function checkAdoptionColumns(frame: Frame, policies: readonly Policy[]): Frame {
  let out = frame
  for (const p of policies) {
    const col = frame.column(p.adoption)
    if (!col) {
      const near = suggest(p.adoption, frame.names)
      throw new QuasiError('MISSING_COLUMN', `adoption-year column \`${p.adoption}\` of policy \`${p.name}\` is not a column of the data${near ? `; did you mean \`${near}\`?` : ''}`, {
        param: p.param, expected: 'a column name', found: p.adoption, hint: near ? `did you mean \`${near}\`?` : undefined,
      })
    }
    if (col.type !== 'number' && col.data.every((v) => v === null || v.trim() === '')) {
      out = out.withColumn(p.adoption, numberColumn(new Float64Array(frame.nrows).fill(NaN)))
    } else if (col.type !== 'number') {
      throw new QuasiError('BAD_DATA', `adoption-year column \`${p.adoption}\` of policy \`${p.name}\` is a text column`, { param: p.param, expected: 'a numeric column of years', found: 'text' })
    }
  }
  return out
}

/** The frame with one post indicator per policy (named as the policy) and the categories of the headline pair. */
export function withExposure(ctx: StageContext<unknown>, frame: Frame, time: string, policies: readonly Policy[], pair: readonly [string, string]): Frame {
  const t = frame.numbers(time)
  let out = frame
  const post = new Map<string, Float64Array>()
  for (const p of policies) {
    const d = adoptedIndicator(t, frame.numbers(p.adoption))
    post.set(p.name, d)
    out = replace(ctx, out, p.name, d, `the post indicator of policy \`${p.name}\``)
  }
  const a = post.get(pair[0])!, b = post.get(pair[1])!
  const cat = (f: (x: number, y: number) => number) => Float64Array.from(a, (x, i) => f(x, b[i]))
  out = replace(ctx, out, onlyTerm(pair[0]), cat((x, y) => x * (1 - y)), `the category \`${onlyTerm(pair[0])}\``)
  out = replace(ctx, out, onlyTerm(pair[1]), cat((x, y) => y * (1 - x)), `the category \`${onlyTerm(pair[1])}\``)
  out = replace(ctx, out, BOTH_TERM, cat((x, y) => x * y), `the category \`${BOTH_TERM}\``)
  return out
}

/** A column of the data under a built name is replaced; only a different one is worth a warning (a did table may carry the same). */
function replace(ctx: StageContext<unknown>, frame: Frame, name: string, data: Float64Array, what: string): Frame {
  const old = frame.column(name)
  if (old && !(old.type === 'number' && old.data.every((v, i) => Object.is(v, data[i])))) ctx.log.warn(`column \`${name}\` of the data is replaced by ${what}`)
  return frame.withColumn(name, numberColumn(data))
}

/**
 * On the rows with the outcome: each post indicator varies, and no two policies have the
 * same timing on every row (their product would be each of them: the synergy is not identified).
 */
export function checkIdentification(frame: Frame, outcome: string, policies: readonly Policy[], products: readonly (readonly [string, string])[]): void {
  const y = frame.numbers(outcome)
  const rows: number[] = []
  for (let i = 0; i < frame.nrows; i++) if (y[i] === y[i]) rows.push(i)
  const post = policies.map((p) => frame.numbers(p.name))
  policies.forEach((p, k) => {
    const d = post[k]
    let on = 0, valid = 0
    for (const i of rows) if (d[i] === d[i]) { valid++; on += d[i] }
    if (on === 0) {
      const a = frame.numbers(p.adoption)
      const never = rows.every((i) => isNeverTreated(a[i]))
      throw new QuasiError('INVALID_VALUE', `policy \`${p.name}\` is never adopted in the estimation sample: ${never ? `\`${p.adoption}\` is missing or 0 in every row` : `every year in \`${p.adoption}\` is after the last period`}`, {
        param: p.param, expected: 'a policy some units adopt within the panel\'s years', hint: `check the adoption years in \`${p.adoption}\`, or leave the policy out`,
      })
    }
    if (on === valid) {
      throw new QuasiError('INVALID_VALUE', `policy \`${p.name}\` is in force in every row of the estimation sample: its effect is absorbed by the time effects`, {
        param: p.param, expected: 'a policy that switches on during the panel for some units', hint: `check the adoption years in \`${p.adoption}\``,
      })
    }
  })
  for (let j = 0; j < policies.length; j++) {
    for (let k = j + 1; k < policies.length; k++) {
      const a = post[j], b = post[k]
      if (rows.every((i) => Object.is(a[i], b[i]))) throw notIdentified(policies[j], policies[k], 'the two policies have identical timing: they switch on in the same year in every unit')
    }
  }
  for (const [x, y] of products) {
    const j = policies.findIndex((p) => p.name === x), k = policies.findIndex((p) => p.name === y)
    if (!rows.some((i) => post[j][i] === 1 && post[k][i] === 1)) throw notIdentified(policies[j], policies[k], 'no unit is exposed to both in the estimation sample')
  }
}

/** The error of a synergy that the data cannot separate from the policies' own effects. */
export function notIdentified(a: Policy, b: Policy, why: string): QuasiError {
  return new QuasiError('INVALID_SPEC', `the interaction of \`${a.name}\` and \`${b.name}\` is not identified: ${why}`, {
    param: b.param,
    expected: `policies whose adoption years (\`${a.adoption}\`, \`${b.adoption}\`) differ for some units`,
    hint: 'a synergy needs units exposed to one policy without the other: drop one of the two policies, or estimate them as one',
  })
}
