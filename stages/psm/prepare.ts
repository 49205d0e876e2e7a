/**
 * The rows psm works on: the treatment indicator (a 0/1 column, or ever-treated from adoption
 * years), the sample (treatment, every covariate, the outcome and `by` present), and the
 * groups matched apart (one, or one per value of `by`, in sorted order).
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import { suggest } from '../../src/suggest.ts'
import { isNeverTreated } from '../../src/stats/treatment.ts'
import type { PsmParams } from './params.ts'

export interface Group {
  /** The `by` value, or null when pooled. */
  readonly key: string | null
  /** Frame rows of the group's sample, in frame order. */
  readonly rows: Int32Array
}

export interface Prepared {
  /** 1 treated, 0 control, per frame row (0 outside the sample). */
  readonly treated: Uint8Array
  readonly inSample: Uint8Array
  readonly covariates: readonly Float64Array[]
  readonly groups: readonly Group[]
  readonly sampleSize: number
  readonly droppedMissing: number
}

export function prepare(frame: Frame, p: PsmParams): Prepared {
  const treatParam = typeof p.treatment === 'string' ? ['treatment'] : ['treatment', 'adoption']
  const tName = typeof p.treatment === 'string' ? p.treatment : p.treatment.adoption
  const t = numeric(frame, tName, typeof p.treatment === 'string' ? 'treatment' : 'adoption-year column', treatParam)
  const covariates = p.covariates.map((c, k) => numeric(frame, c, 'covariate', ['covariates', k]))
  const y = p.outcome !== undefined ? numeric(frame, p.outcome, 'outcome', ['outcome']) : null
  if (p.by !== undefined && !frame.has(p.by)) throw missing(frame, p.by, '`by` column', ['by'])

  const n = frame.nrows
  const treated = new Uint8Array(n), inSample = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const v = t[i]
    if (typeof p.treatment === 'string') {
      if (v === v && v !== 0 && v !== 1) {
        throw new QuasiError('BAD_DATA', `treatment \`${tName}\` must be 0 or 1; row ${i + 1} has ${v}`, {
          param: treatParam, expected: 'a 0/1 column', found: String(v), hint: 'for an adoption-year column write `treatment: {adoption: <column>}`',
        })
      }
      treated[i] = v === 1 ? 1 : 0
      if (v !== v) continue
    } else treated[i] = isNeverTreated(v) ? 0 : 1
    if (!covariates.every((x) => Number.isFinite(x[i]))) continue
    if (y && !Number.isFinite(y[i])) continue
    if (p.by !== undefined && frame.key(p.by, i) === null) continue
    inSample[i] = 1
  }
  let sampleSize = 0
  for (let i = 0; i < n; i++) sampleSize += inSample[i]
  return { treated, inSample, covariates, groups: groupsOf(frame, p.by, inSample), sampleSize, droppedMissing: n - sampleSize }
}

function groupsOf(frame: Frame, by: string | undefined, inSample: Uint8Array): Group[] {
  const all: number[] = []
  for (let i = 0; i < inSample.length; i++) if (inSample[i]) all.push(i)
  if (by === undefined) return [{ key: null, rows: Int32Array.from(all) }]
  const map = new Map<string, number[]>()
  for (const i of all) {
    const k = frame.key(by, i)!
    let list = map.get(k)
    if (!list) map.set(k, (list = []))
    list.push(i)
  }
  const numeric = frame.column(by)!.type === 'number'
  const keys = [...map.keys()].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return keys.map((key) => ({ key, rows: Int32Array.from(map.get(key)!) }))
}

function numeric(frame: Frame, name: string, role: string, param: (string | number)[]): Float64Array {
  const col = frame.column(name)
  if (!col) throw missing(frame, name, role, param)
  if (col.type !== 'number') throw new QuasiError('BAD_DATA', `${role} \`${name}\` is a text column`, { param, expected: 'a numeric column', found: 'text' })
  return col.data
}

function missing(frame: Frame, name: string, role: string, param: (string | number)[]): QuasiError {
  const near = suggest(name, frame.names)
  return new QuasiError('MISSING_COLUMN', `${role} \`${name}\` is not a column of the data${near ? `; did you mean \`${near}\`?` : ''}`, {
    param, expected: 'a column name', found: name, hint: near ? `did you mean \`${near}\`?` : undefined,
  })
}
