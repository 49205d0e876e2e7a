/**
 * Pipeline-file inputs for the loader: whole pipelines built from the registry's kinds and
 * parameters (so the grammar follows the code), rendered as YAML in random styles; the
 * bundled pipelines with text edits; random bytes; deep nesting; anchors and aliases.
 * Every generated file is planned as `pipelines/fuzz.yaml` under the repository, so data
 * paths such as `data/produc.csv` name real files and the column checks run too.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { parseDocument, stringify, visit } from 'yaml'
import { STARTER_PIPELINE } from '../../src/cli/starter.ts'
import type { JsonSchema } from '../../src/stage.ts'
import { stageKinds } from '../../stages/index.ts'
import { tokenSoup, wellFormed } from './expressions.ts'
import { applyEdits, textEdit, type TextEdit } from './text.ts'

export const repo = fileURLToPath(new URL('../..', import.meta.url))
export const DISPLAY = 'pipelines/fuzz.yaml'

const KINDS = stageKinds.map((d) => d.kind)
const COLUMNS = ['city', 'year', 'gdp', 'gdp_pc', 'pilot_year', 'region', 'pop', 'state', 'gsp', 'pcap', 'unemp', 'emp', 'gie', 'did', 'nope', '']
const FILES = [
  'data/produc.csv', 'data/cities.csv', 'data/resource_based_cities_2013.csv', 'data/cluster_gie_truth.json', 'data/missing.csv', 'data/', '',
  '../../../../etc/hostname', '/etc/hostname', 'data/produc.xlsx', 'data/produc.dta', 'data/produc.parquet', '../test/fixtures/read/sample118.dta',
  '../test/fixtures/read/panel.xlsx', '../test/fixtures/read/sample.parquet', 'data/%2e%2e/x.csv', 'data\u0000.csv', 'data/make',
]
const ODD_STRINGS = ['', ' ', 'a'.repeat(3000), '\u0000', '😀', '${{ matrix.x }}', '${{ matrix }}', '${{', '"', "'", '\\', 'yes', 'null', '~', '.nan', '1e999', '[x', '{', ': x', '- x', '#x', '&a', '*a', '!!str', 'a\nb']

/** A value for a parameter: usually of the right shape (from its schema), sometimes anything. */
function valueFor(schema: JsonSchema | undefined, stages: readonly string[]): fc.Arbitrary<unknown> {
  const s = (schema ?? {}) as Record<string, unknown>
  const ref = fc.constantFrom(...(stages.length ? stages : ['missing']), 'nope', 'self')
  const str = fc.oneof(fc.constantFrom(...COLUMNS), fc.constantFrom(...FILES), wellFormed, tokenSoup, fc.constantFrom(...ODD_STRINGS), ref)
  const scalar = fc.oneof(str, fc.constantFrom(0, 1, -1, 0.5, 2, 10, 1e308, -1e-300, 2 ** 53 + 1, NaN, Infinity, true, false, null))
  const any = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(fc.constantFrom(...COLUMNS, 'adoption', 'x', 'did'), scalar, { maxKeys: 3 }))
  const typed: fc.Arbitrary<unknown>[] = []
  if (Array.isArray(s.enum)) typed.push(fc.constantFrom(...(s.enum as unknown[])))
  if (Array.isArray(s.examples) && s.examples.length) typed.push(fc.constantFrom(...(s.examples as unknown[])))
  if (s.default !== undefined) typed.push(fc.constant(s.default))
  if (s.type === 'string') typed.push(str)
  if (s.type === 'integer' || s.type === 'number') typed.push(fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double()))
  if (s.type === 'boolean') typed.push(fc.boolean())
  if (s.type === 'array') typed.push(fc.array(str, { maxLength: 5 }))
  if (s.type === 'object') typed.push(fc.dictionary(fc.constantFrom(...COLUMNS), fc.oneof(wellFormed, str), { maxKeys: 4 }))
  for (const alt of [...((s.anyOf as JsonSchema[]) ?? []), ...((s.oneOf as JsonSchema[]) ?? [])]) typed.push(valueFor(alt, stages))
  return typed.length ? fc.oneof({ arbitrary: fc.oneof(...typed), weight: 4 }, { arbitrary: any, weight: 1 }) : any
}

const STAGE_NAMES = ['panel', 'vars', 'sample', 'baseline', 'dynamics', 'table1', 'het', 'plot', 'a', 'b-c', '_x', '1bad', 'bad name', 'x[0]', 'ünï', 'a'.repeat(300)]

/** One stage: a kind (or a near-miss), some of its parameters, and sometimes needs/expect/matrix/names. */
function stageArb(stages: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(...KINDS, 'did2', 'Ingest', '').chain((kind) => {
    const def = stageKinds.find((d) => d.kind === kind)
    const props = ((def?.params as { properties?: Record<string, JsonSchema> } | undefined)?.properties ?? {}) as Record<string, JsonSchema>
    const names = [...Object.keys(props), 'save', 'frm', 'unknown_param']
    const withArb = fc
      .uniqueArray(fc.constantFrom(...names), { maxLength: 8 })
      .chain((keys) => fc.tuple(...keys.map((k) => valueFor(props[k], stages))).map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]]))))
    return fc.record(
      {
        uses: fc.constant(kind),
        with: withArb,
        needs: fc.array(fc.constantFrom(...stages, 'nope'), { maxLength: 3 }),
        expect: fc.array(fc.constantFrom('rows == 10', 'coef(did) > 0', 'p(did) < 0.05', 'approx(pretrend_p, 0.5, 1e-4)', 'approx(rows, 1, -1)', 'nope > 1', '>', 'rows ==', 'coef(did, 2) != 1', 'mean(gdp) >= 1e999'), { maxLength: 3 }),
        matrix: fc.dictionary(fc.constantFrom('x', 'region', 'include', 'exclude', 'k'), fc.oneof(fc.array(fc.constantFrom('east', 'west', 1, 'a b', '${{ matrix.x }}', [], {}), { maxLength: 4 }), fc.constant([{ x: 'east' }]), fc.constant(3)), { maxKeys: 2 }),
        names: fc.oneof(fc.constant('${{ matrix.x }}'), fc.constant('${{ matrix.region }}'), fc.array(fc.constantFrom('a', 'b', 'a', ''), { maxLength: 3 })),
      },
      { requiredKeys: ['uses', 'with'] },
    )
  })
}

/** A whole pipeline as a JavaScript value (sometimes with a broken envelope). */
export const pipelineValue: fc.Arbitrary<unknown> = fc.uniqueArray(fc.constantFrom(...STAGE_NAMES), { minLength: 0, maxLength: 6 }).chain((names) =>
  fc.record(
    {
      quasi: fc.constantFrom(1, 1, 1, 2, '1', null),
      name: fc.constantFrom('fuzz', 'fuzz', 'Bad Name', '', 'x'.repeat(500), 7),
      title: fc.string({ maxLength: 20 }),
      panel: fc.oneof(fc.constant({ unit: 'city', time: 'year' }), fc.constant({ unit: 'state', time: 'year' }), fc.constant({ unit: 'city' }), fc.constant('city')),
      seed: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom(-1, 0.5, 2 ** 32, 'x', 1e308)),
      stages: fc.tuple(...names.map(() => stageArb(names))).map((ss) => Object.fromEntries(names.map((n, i) => [n, ss[i]]))),
      extra: fc.constant('unknown top-level key'),
    },
    { requiredKeys: ['quasi', 'name', 'stages'] },
  ),
)

const RENDER = fc.record({
  indent: fc.integer({ min: 1, max: 6 }),
  collectionStyle: fc.constantFrom('any', 'block', 'flow') as fc.Arbitrary<'any' | 'block' | 'flow'>,
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED') as fc.Arbitrary<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED'>,
})

/** Fragments that matter to YAML and to pipelines, for text edits. */
export const YAML_FRAGMENTS = [
  ': ', ':', '- ', '-', '[', ']', '{', '}', ',', '&a ', '*a', '&b [*a, *a]', '!!str ', '!!int ', '!!binary ', '!env ', '!', '---\n', '...\n', '? ', '|', '>', '|-\n', '"', "'", '#', '\t', '\n', '\r\n', '\r',
  '%YAML 1.2\n', '%TAG ! tag:x,2000:\n', '<<: *a\n', '${{ matrix.x }}', '\u0000', '\ufeff', 'uses: ', 'with: ', 'stages:', 'expect: [', 'matrix: { x: [a, b] }', 'needs: [', 'from: ', 'model: ', '~', 'null',
  '.inf', '.nan', '0x1F', '0o17', '1e999', '-0', 'yes', 'on', ...KINDS, ...STAGE_NAMES.slice(0, 8), 'log(gdp)', 'lag(gdp, 1000000)', 'winsor(gdp, 0.1, 0.9) by year', 'mean(', ' by ', '"${{ matrix.x }}"',
]

/** Pipelines from the grammar, rendered in a random style, with up to three text edits. */
export interface RenderStyle {
  readonly indent: number
  readonly collectionStyle: 'any' | 'block' | 'flow'
  readonly defaultStringType: string
}

export const grammarPipeline: fc.Arbitrary<{ value: unknown; render: RenderStyle; edits: TextEdit[] }> = fc.record({
  value: pipelineValue,
  render: RENDER,
  edits: fc.array(textEdit(YAML_FRAGMENTS), { maxLength: 3 }),
})

export function renderPipeline(p: { value: unknown; render: RenderStyle; edits: readonly TextEdit[] }): string {
  const text = stringify(p.value, { indent: p.render.indent, collectionStyle: p.render.collectionStyle, defaultStringType: p.render.defaultStringType as 'PLAIN', lineWidth: 0 })
  return applyEdits(text, p.edits)
}

/** The pipelines the project ships (and the starter study), the e2e pipelines, good and bad. */
export function bundledPipelines(): { name: string; text: string }[] {
  const out = [{ name: 'starter', text: STARTER_PIPELINE }]
  for (const dir of ['pipelines', 'test/e2e/good', 'test/e2e/bad']) {
    for (const f of readdirSync(join(repo, dir)).sort()) if (f.endsWith('.yaml')) out.push({ name: `${dir}/${f}`, text: readFileSync(join(repo, dir, f), 'utf8') })
  }
  return out
}

/** Deeply nested YAML: flow brackets, block indentation, block sequences, inside a stage's `with:`. */
export const deepYaml: fc.Arbitrary<{ kind: string; depth: number }> = fc.record({
  kind: fc.constantFrom('flow-seq', 'flow-map', 'block-map', 'block-seq', 'in-with', 'mixed', 'unclosed'),
  depth: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 200, max: 20_000 })),
})

export function renderDeep({ kind, depth: asked }: { kind: string; depth: number }): string {
  // Block nesting grows as depth² characters: 1,000 levels is already a 1 MB file.
  const depth = kind.startsWith('block') ? Math.min(asked, 1_000) : asked
  const head = 'quasi: 1\nname: fuzz\nstages:\n  a: { uses: ingest, with: { file: data/produc.csv } }\n'
  switch (kind) {
    case 'flow-seq': return `${head}  b: { uses: derive, with: { from: a, columns: ${'['.repeat(depth)}1${']'.repeat(depth)} } }\n`
    case 'flow-map': return `${head}  b: ${'{ x: '.repeat(depth)}1${' }'.repeat(depth)}\n`
    case 'block-map': return head + Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * (i + 1))}k${i}:`).join('\n') + ' 1\n'
    case 'block-seq': return `${head}  b:\n    uses: table\n    with:\n      columns:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(8 + 2 * i)}-`).join('\n')} a\n`
    case 'in-with': return `${head}  b:\n    uses: derive\n    with:\n      from: a\n      columns:\n        x: "${'('.repeat(depth)}gsp${')'.repeat(depth)}"\n`
    case 'mixed': return `${head}  b: ${'[{x: '.repeat(depth)}1${'}]'.repeat(depth)}\n`
    default: return `${head}  b: ${'['.repeat(depth)}\n`
  }
}

/** Anchors and aliases: expansion bombs, unknown and recursive aliases, aliases as keys and stages, merge keys. */
export const aliasYaml: fc.Arbitrary<{ kind: string; width: number; levels: number }> = fc.record({
  kind: fc.constantFrom('bomb', 'unknown', 'recursive', 'key', 'stage-copy', 'merge', 'count', 'in-with'),
  width: fc.integer({ min: 1, max: 12 }),
  levels: fc.integer({ min: 1, max: 12 }),
})

export function renderAliases({ kind, width, levels }: { kind: string; width: number; levels: number }): string {
  const head = 'quasi: 1\nname: fuzz\n'
  const panel = '{ uses: ingest, with: { file: data/produc.csv } }'
  switch (kind) {
    case 'bomb': {
      // the classic expansion bomb, under an unknown key (the loader expands before it validates)
      const defs = [`  l0: &l0 [${Array(width).fill('"rows > 0"').join(', ')}]`]
      for (let i = 1; i <= levels; i++) defs.push(`  l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`)
      return `${head}defs:\n${defs.join('\n')}\nstages:\n  a: ${panel}\n  b: { uses: derive, with: { from: a, columns: { x: gsp } }, expect: *l${levels} }\n`
    }
    case 'unknown': return `${head}stages:\n  a: *nope\n`
    case 'recursive': return `${head}stages: &s\n  a: ${panel}\n  b: *s\n`
    case 'key': return `${head}stages:\n  &k a: ${panel}\n  *k : ${panel}\n`
    case 'stage-copy': return `${head}stages:\n  a: &p ${panel}\n${Array.from({ length: width * levels }, (_, i) => `  c${i}: *p`).join('\n')}\n`
    case 'merge': return `${head}stages:\n  a: &p ${panel}\n  b:\n    <<: *p\n    with: { file: data/cities.csv }\n`
    case 'count': return `${head}seed: &n 1\nstages:\n  a: ${panel}\n  b:\n    uses: derive\n    with:\n      from: a\n      columns: { x: gsp }\n    expect: [${Array(width * levels * 2).fill('*e').join(', ')}]\ne: &e "rows > 0"\n`
    default: return `${head}stages:\n  a: ${panel}\n  b:\n    uses: derive\n    with: &w\n      from: a\n      columns: { x: gsp, y: *w }\n`
  }
}

/** A value anywhere in a pipeline: a column, a file, an expression, a stage name, a number, a list, a map. */
export const anyValue: fc.Arbitrary<unknown> = valueFor(undefined, ['panel', 'vars', 'baseline', 'het', 'het[east]'])

/**
 * Replace the `node`-th scalar (keys included, modulo their number) of a pipeline with `value`:
 * the file stays valid YAML and mostly a valid pipeline, so the checks behind the syntax run.
 */
export function replaceScalar(text: string, node: number, value: unknown): string {
  let doc
  try {
    doc = parseDocument(text, { uniqueKeys: false })
  } catch {
    return text
  }
  let count = 0
  visit(doc, { Scalar: () => void count++ })
  if (count === 0 || doc.errors.length > 0) return text
  const target = node % count
  let i = 0
  visit(doc, {
    Scalar: () => (i++ === target ? doc.createNode(value) : undefined),
  })
  return doc.toString({ lineWidth: 0 })
}
