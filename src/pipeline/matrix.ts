/**
 * `matrix:` expansion. A stage with `matrix:` is a template; planning expands it into one
 * ordinary stage per value (or per combination of several keys), before the graph is
 * built, so the scheduler, the cache, `status` and the outputs only ever see ordinary
 * stages. The vocabulary follows GitHub Actions: keys with lists of values, `exclude:`
 * (combinations to drop) and `include:` (values added to matching combinations, or extra
 * combinations); `${{ matrix.key }}` in `with:` and `expect:` takes the instance's value.
 *
 * Names: `het[0]`, `het[1]`, … by default; `names: [east, central, west]` (one per
 * instance) or `names: "${{ matrix.region }}"` give `het[east]`.
 */
import { QuasiError } from '../errors.ts'
import type { Json } from '../artifacts/json.ts'
import { suggest } from '../suggest.ts'
import type { ValuePath } from './source.ts'

export interface MatrixSpec {
  readonly include?: readonly Record<string, Json>[]
  readonly exclude?: readonly Record<string, Json>[]
  readonly [key: string]: readonly Json[] | undefined
}

export interface Instance {
  /** `template[name]`. */
  readonly name: string
  readonly values: Readonly<Record<string, Json>>
  /** Where each key's value stands in the file (for error positions), when it came from a list. */
  readonly from: Readonly<Record<string, ValuePath>>
}

/** Instance names: letters, digits, `_`, `-`, `.`; no brackets or spaces. */
export const INSTANCE_NAME = /^[A-Za-z0-9_.-]+$/

/** A problem, with the path (relative to the stage) where it belongs. */
export type MatrixProblem = { path: ValuePath; error: QuasiError }

export function expandMatrix(template: string, matrix: MatrixSpec, names: readonly string[] | string | undefined): { instances: Instance[]; problems: MatrixProblem[] } {
  const problems: MatrixProblem[] = []
  const keys = Object.keys(matrix).filter((k) => k !== 'include' && k !== 'exclude')
  let combos: { values: Record<string, Json>; from: Record<string, ValuePath> }[] = [{ values: {}, from: {} }]
  // Values of the wrong shape were reported by the envelope check; expand what is well formed.
  const lists = (v: unknown) => (Array.isArray(v) ? v : [])
  for (const k of keys) {
    const list = lists(matrix[k]) as readonly Json[]
    const next: typeof combos = []
    for (const c of combos) list.forEach((v, i) => next.push({ values: { ...c.values, [k]: v }, from: { ...c.from, [k]: ['matrix', k, i] } }))
    combos = next
  }
  if (keys.length === 0) combos = []
  const matches = (values: Record<string, Json>, pattern: Record<string, Json>) =>
    Object.entries(pattern).every(([k, v]) => k in values && sameJson(values[k], v))
  ;(lists(matrix.exclude) as Record<string, Json>[]).forEach((pattern, i) => {
    if (!pattern || typeof pattern !== 'object') return
    const unknown = Object.keys(pattern).find((k) => !keys.includes(k))
    if (unknown !== undefined) {
      const near = suggest(unknown, keys)
      problems.push({ path: ['matrix', 'exclude', i, unknown], error: new QuasiError('INVALID_VALUE', `\`exclude\` names \`${unknown}\`, which is not a matrix key${near ? `; did you mean \`${near}\`?` : ''}`, { expected: `one of ${keys.map((x) => '`' + x + '`').join(', ')}` }) })
      return
    }
    combos = combos.filter((c) => !matches(c.values, pattern))
  })
  ;(lists(matrix.include) as Record<string, Json>[]).forEach((extra, i) => {
    if (!extra || typeof extra !== 'object') return
    const original = Object.fromEntries(Object.entries(extra).filter(([k]) => keys.includes(k)))
    const added = Object.entries(extra).filter(([k]) => !keys.includes(k))
    const from = Object.fromEntries(Object.keys(extra).map((k) => [k, ['matrix', 'include', i, k] as ValuePath]))
    // As in GitHub Actions: extend every combination it matches without overwriting an original value; else add it.
    const hits = Object.keys(original).length === Object.keys(extra).length ? [] : combos.filter((c) => matches(c.values, original))
    if (hits.length) for (const c of hits) for (const [k, v] of added) { c.values[k] = v; c.from[k] = from[k] }
    else combos.push({ values: { ...extra }, from })
  })

  let labels: string[]
  if (Array.isArray(names)) {
    if (names.length !== combos.length) {
      problems.push({ path: ['names'], error: new QuasiError('INVALID_VALUE', `\`names\` has ${names.length} name${names.length === 1 ? '' : 's'} for ${combos.length} matrix instance${combos.length === 1 ? '' : 's'}`, { expected: `${combos.length} names, one per instance in order`, hint: 'or write a template such as `names: "${{ matrix.region }}"`' }) })
      return { instances: [], problems }
    }
    // A name written as a number (`names: [2010, 2015]`) is its text; a list or mapping is no name at all.
    labels = names.map((n) => (typeof n === 'string' ? n : typeof n === 'number' || typeof n === 'boolean' ? String(n) : JSON.stringify(n) ?? String(n)))
  } else if (typeof names === 'string') {
    labels = []
    for (const c of combos) {
      const r = substituteString(names, c.values)
      if (r.error) {
        problems.push({ path: ['names'], error: r.error })
        return { instances: [], problems }
      }
      labels.push(typeof r.value === 'string' ? r.value : JSON.stringify(r.value))
    }
  } else labels = combos.map((_, i) => String(i))

  const seen = new Map<string, number>()
  labels.forEach((l, i) => {
    if (!INSTANCE_NAME.test(l)) {
      problems.push({ path: ['names', ...(Array.isArray(names) ? [i] : [])], error: new QuasiError('INVALID_VALUE', `instance name \`${l}\` may contain only letters, digits, \`_\`, \`-\` and \`.\``, { found: l }) })
    } else if (seen.has(l)) {
      problems.push({ path: ['names', ...(Array.isArray(names) ? [i] : [])], error: new QuasiError('INVALID_VALUE', `instances ${seen.get(l)! + 1} and ${i + 1} are both named \`${template}[${l}]\``, { hint: 'give every instance its own name' }) })
    }
    seen.set(l, i)
  })
  if (problems.length) return { instances: [], problems }
  return { instances: combos.map((c, i) => ({ name: `${template}[${labels[i]}]`, values: c.values, from: c.from })), problems }
}

const PLACEHOLDER = /\$\{\{\s*matrix\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g
const WHOLE = /^\$\{\{\s*matrix\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/

/** `${{ matrix.k }}` in one string: the whole string gives the value itself (any JSON), else text. */
export function substituteString(s: string, values: Readonly<Record<string, Json>>): { value: Json; key?: string; error?: QuasiError } {
  const whole = WHOLE.exec(s)
  if (whole) {
    const k = whole[1]
    if (!(k in values)) return { value: s, error: unknownKey(k, values, s.indexOf(k)) }
    return { value: values[k], key: k }
  }
  let error: QuasiError | undefined
  const out = s.replace(PLACEHOLDER, (m, k: string, at: number) => {
    if (!(k in values)) {
      error ??= unknownKey(k, values, at + m.indexOf(k))
      return m
    }
    const v = values[k]
    return typeof v === 'string' ? v : JSON.stringify(v)
  })
  return { value: out, error }
}

function unknownKey(k: string, values: Readonly<Record<string, Json>>, offset: number): QuasiError {
  const near = suggest(k, Object.keys(values))
  return new QuasiError('INVALID_VALUE', `\`matrix.${k}\` is not a key of this stage's matrix${near ? `; did you mean \`matrix.${near}\`?` : ''}`, {
    offset, expected: Object.keys(values).length ? `one of ${Object.keys(values).map((x) => '`matrix.' + x + '`').join(', ')}` : 'a stage with `matrix:`',
  })
}

/**
 * Substitute every placeholder in a value (deep). `origins` records the paths (relative to
 * the value) whose whole value came from a matrix key, so errors about them can point at
 * the matrix value rather than at the placeholder.
 */
export function substitute(value: unknown, values: Readonly<Record<string, Json>>): { value: unknown; origins: [ValuePath, string][]; problems: MatrixProblem[] } {
  const origins: [ValuePath, string][] = []
  const problems: MatrixProblem[] = []
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('${{')) return v
      const r = substituteString(v, values)
      if (r.error) problems.push({ path, error: r.error })
      if (r.key !== undefined) origins.push([path, r.key])
      return r.value
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]))
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k])
      return out
    }
    return v
  }
  return { value: walk(value, []), origins, problems }
}

/** Whether a value (deep) contains a placeholder: stages without `matrix:` may not use one. */
export function hasPlaceholder(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value === 'string') return value.includes('${{')
  // A recursive YAML alias makes a cyclic value: visit each object once.
  if (!value || typeof value !== 'object' || seen.has(value)) return false
  seen.add(value)
  return (Array.isArray(value) ? value : Object.values(value)).some((v) => hasPlaceholder(v, seen))
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
