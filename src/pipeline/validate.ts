/**
 * JSON Schema validation with ajv (all errors at once), and the translation of ajv's
 * errors into QuasiErrors that name the file position, the stage, what was expected,
 * what was found, and a suggestion.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { QuasiError, describeValue, type ErrorCode } from '../errors.ts'
import type { JsonSchema } from '../stage.ts'
import { suggest } from '../suggest.ts'
import { locate, type SourceFile, type ValuePath } from './source.ts'

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: true })
const compiled = new WeakMap<JsonSchema, ValidateFunction>()

export function validator(schema: JsonSchema): ValidateFunction {
  let v = compiled.get(schema)
  if (!v) {
    v = ajv.compile(schema)
    compiled.set(schema, v)
  }
  return v
}

export interface Where {
  src: SourceFile
  /** Path of the validated value inside the file (e.g. ['stages', 'baseline', 'with']). */
  base: ValuePath
  /** A label for messages: `parameter` inside `with:`, `key` elsewhere. */
  noun: 'parameter' | 'key'
  stage?: string
  kind?: string
}

/** Validate `value` (mutated: defaults filled in); return the problems found. */
export function check(schema: JsonSchema, value: unknown, where: Where): QuasiError[] {
  const validate = validator(schema)
  if (validate(value)) return []
  return translate(validate.errors ?? [], schema, value, where)
}

function translate(errors: ErrorObject[], root: JsonSchema, value: unknown, w: Where): QuasiError[] {
  // An anyOf/oneOf failure explains itself; drop the per-branch errors beneath it.
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath)
  const kept = errors.filter(
    (e) =>
      e.keyword === 'anyOf' ||
      e.keyword === 'oneOf' ||
      !unions.some((u) => e.instancePath === u || e.instancePath.startsWith(u + '/')),
  )
  // A misspelt required key shows up twice (unknown `stage`, missing `stages`): keep the first.
  const suggested = new Set(
    kept.filter((e) => e.keyword === 'additionalProperties').map((e) => {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty)
      return `${e.instancePath}/${suggest(extra, Object.keys((schemaAt(root, e.schemaPath).properties ?? {}) as object)) ?? ''}`
    }),
  )
  const out: QuasiError[] = []
  const seen = new Set<string>()
  for (const e of kept) {
    if (e.keyword === 'required' && suggested.has(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`)) continue
    // ajv wraps each bad key name in a `propertyNames` error beside the specific one (a pattern): keep the specific one.
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue
    const q = e.propertyName === undefined ? one(e, root, value, w) : badKeyName(e, e.propertyName, w)
    const k = `${q.code}|${q.pos?.line}:${q.pos?.col}|${q.message}`
    if (!seen.has(k)) {
      seen.add(k)
      out.push(q)
    }
  }
  return out
}

function one(e: ErrorObject, root: JsonSchema, value: unknown, w: Where): QuasiError {
  const path = pointerToPath(e.instancePath)
  const full = [...w.base, ...path]
  const name = path.length > 0 ? path.map(String).join('.') : (w.base[w.base.length - 1] ?? 'the file').toString()
  const found = valueAt(value, path)
  const subschema = schemaAt(root, e.schemaPath)
  // Envelope errors inside a stage still name it.
  const stage = w.stage ?? (full[0] === 'stages' && full.length >= 2 ? String(full[1]) : undefined)
  const init = (code: ErrorCode, message: string, more: { key?: boolean; expected?: string; found?: string; hint?: string } = {}) =>
    new QuasiError(code, message, {
      pos: locate(w.src, full, { key: more.key }),
      stage,
      kind: w.kind,
      expected: more.expected,
      found: more.found,
      hint: more.hint,
    })

  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty)
      const allowed = Object.keys((subschema.properties ?? {}) as object)
      const near = suggest(extra, allowed)
      const code: ErrorCode = w.noun === 'parameter' && path.length === 0 ? 'UNKNOWN_PARAM' : 'UNKNOWN_KEY'
      const what = code === 'UNKNOWN_PARAM' ? 'parameter' : 'key'
      return new QuasiError(code, `unknown ${what} \`${extra}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
        pos: locate(w.src, [...full, extra], { key: true }),
        stage,
        kind: w.kind,
        expected: `one of ${allowed.map((a) => '`' + a + '`').join(', ')}`,
        // Parameters are listed per kind in docs/stages.md; the file's own keys in the README's example.
        hint: near ? undefined : w.kind ? `docs/stages.md lists the parameters of \`${w.kind}\`` : 'README.md ("A short tour") shows a pipeline file with its keys',
      })
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty)
      const what = w.noun === 'parameter' && path.length === 0 ? 'parameter' : 'key'
      const desc = ((subschema.properties as Record<string, JsonSchema> | undefined)?.[missing]?.description as string | undefined) ?? ''
      return init('MISSING_PARAM', `missing required ${what} \`${missing}\`${path.length || w.noun === 'parameter' ? ` in \`${name}\`` : ''}`, {
        key: true,
        expected: desc ? `\`${missing}\`: ${desc}` : `\`${missing}\``,
        hint: `add \`${missing}: …\` here`,
      })
    }
    case 'type': {
      const t = (e.params as { type: string | string[] }).type
      const types = Array.isArray(t) ? t : String(t).split(',')
      return init('WRONG_TYPE', `Expected \`${name}\` to be ${types.map(article).join(' or ')}, got ${describeValue(found)}`, {
        expected: types.map(article).join(' or '),
        found: describeValue(found),
        hint: typeHint(types, found),
      })
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String)
      const near = typeof found === 'string' ? suggest(found, allowed) : undefined
      return init(w.noun === 'key' && path[path.length - 1] === 'uses' ? 'UNKNOWN_KIND' : 'INVALID_VALUE',
        path[path.length - 1] === 'uses'
          ? `unknown stage kind ${describeValue(found)}${near ? `; did you mean \`${near}\`?` : ''}`
          : `Expected \`${name}\` to be one of ${allowed.map((a) => '`' + a + '`').join(', ')}, got ${describeValue(found)}${near ? `; did you mean \`${near}\`?` : ''}`,
        { expected: `one of ${allowed.map((a) => '`' + a + '`').join(', ')}`, found: describeValue(found) },
      )
    }
    case 'const':
      return init('INVALID_VALUE', `Expected \`${name}\` to be \`${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}\`, got ${describeValue(found)}`)
    case 'anyOf':
    case 'oneOf': {
      const expected = describeSchema(subschema)
      return init('WRONG_TYPE', `Expected \`${name}\` to be ${expected}, got ${describeValue(found)}`, { expected, found: describeValue(found) })
    }
    case 'minProperties': {
      // e.g. policy-mix's `policies` (two or more): say how many, not ajv's "must NOT have fewer than 2 properties"
      const limit = (e.params as { limit: number }).limit
      const n = found !== null && typeof found === 'object' ? Object.keys(found).length : 0
      return init('INVALID_VALUE', `Expected \`${name}\` to have at least ${limit} ${limit === 1 ? 'entry' : 'entries'}, got ${n}`, {
        expected: `a mapping with at least ${limit} ${limit === 1 ? 'entry' : 'entries'}`, found: describeValue(found),
      })
    }
    case 'pattern': {
      const pattern = (e.params as { pattern: string }).pattern
      return init('INVALID_VALUE', `Expected \`${name}\` to match ${pattern}, got ${describeValue(found)}`, {
        hint: path[0] === 'name' ? 'pipeline names use lower-case letters, digits, - and _' : undefined,
      })
    }
    default: {
      const message = `Expected \`${name}\` ${e.message ?? 'to be valid'}, got ${describeValue(found)}`
      return init('INVALID_VALUE', message, { found: describeValue(found) })
    }
  }
}

/**
 * A key whose name the schema refuses (`propertyNames`): pointed at that key, not at the
 * mapping, and said in words for stage names, the one case a user meets often.
 */
function badKeyName(e: ErrorObject, key: string, w: Where): QuasiError {
  const path = pointerToPath(e.instancePath)
  const full = [...w.base, ...path]
  const pos = locate(w.src, [...full, key], { key: true })
  const shown = JSON.stringify(key)
  if (full.length === 1 && full[0] === 'stages') {
    const fixed = key.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^(?=[0-9-])/, '_') || '_'
    return new QuasiError('INVALID_VALUE', `invalid stage name ${shown}: a stage name starts with a letter or \`_\` and contains only letters, digits, \`_\` and \`-\``, {
      pos,
      expected: 'a name such as `baseline`, `did_east` or `step-2`',
      found: shown,
      hint: `rename the stage, e.g. \`${fixed}\` (and the references to it)`,
    })
  }
  const name = path.length > 0 ? path.map(String).join('.') : String(w.base[w.base.length - 1] ?? 'the file')
  const pattern = (e.params as { pattern?: string }).pattern
  return new QuasiError('INVALID_VALUE', `invalid name ${shown} in \`${name}\`${pattern ? `: Expected it to match ${pattern}` : `: ${e.message ?? ''}`}`, {
    pos,
    stage: w.stage,
    kind: w.kind,
    found: shown,
  })
}

function article(t: string): string {
  const a: Record<string, string> = {
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    null: 'null',
  }
  return a[t] ?? t
}

function typeHint(types: string[], found: unknown): string | undefined {
  if (types.includes('array') && typeof found === 'string') return `write a list: [${found}]`
  if (types.includes('integer') && typeof found === 'number') return 'use a whole number'
  if ((types.includes('number') || types.includes('integer')) && typeof found === 'string') return 'write the number without quotes'
  if (types.includes('object') && found === null) return 'an empty value is null; give the mapping `{ … }` or remove the key'
  return undefined
}

/** "a string or a mapping with `adoption`", from a union schema's branches. */
export function describeSchema(s: JsonSchema): string {
  const branches = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined
  if (branches) return branches.map(describeSchema).join(' or ')
  if (s.enum) return `one of ${(s.enum as unknown[]).map((v) => '`' + String(v) + '`').join(', ')}`
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``
  const t = s.type
  if (t === 'object' && s.properties) {
    const req = (s.required as string[] | undefined) ?? Object.keys(s.properties as object)
    return `a mapping with ${req.map((k) => '`' + k + '`').join(', ')}`
  }
  if (t === 'array') return s.items ? `a list of ${plural(describeSchema(s.items as JsonSchema))}` : 'a list'
  return Array.isArray(t) ? t.map(article).join(' or ') : article(String(t ?? 'a value'))
}

function plural(d: string): string {
  return d.replace(/^an? (\w+)/, '$1s')
}

export function pointerToPath(p: string): (string | number)[] {
  if (!p) return []
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

function valueAt(v: unknown, path: readonly (string | number)[]): unknown {
  let cur = v
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[seg]
  }
  return cur
}

/** The subschema a `schemaPath` (#/properties/x/additionalProperties) points to, minus the keyword. */
function schemaAt(root: JsonSchema, schemaPath: string): JsonSchema {
  const segs = schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).slice(0, -1)
  let cur: unknown = root
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return {}
    cur = (cur as Record<string, unknown>)[s.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return (cur ?? {}) as JsonSchema
}
