/**
 * From the file as written to the resolved plan: validate the envelope, expand `matrix:`
 * templates into instances (./matrix.ts), validate each stage's `with:` against its kind
 * (defaults applied), then the named rules (references exist and point at a stage that
 * produces what the parameter consumes, no self-reference, files inside the project,
 * expectations readable, no cycle), and last the column names the stages use (columns.ts).
 * Every problem is collected; the plan is returned only when there are none.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { visit, type Alias, type Node } from 'yaml'
import type { Json } from '../artifacts/json.ts'
import { artifactKinds, type ArtifactName } from '../artifacts/kinds.ts'
import { QuasiError, QuasiErrors, type SourcePos } from '../errors.ts'
import type { JsonSchema, StageDef } from '../stage.ts'
import { suggest } from '../suggest.ts'
import { StageGraph } from '../graph/graph.ts'
import { checkColumns, readFileHeader } from './columns.ts'
import { parseExpectation, type Expectation } from './expect.ts'
import { factDeclared } from './facts.ts'
import { takePlainValue } from './load.ts'
import { expandMatrix, hasPlaceholder, substitute, type Instance, type MatrixSpec } from './matrix.ts'
import { envelopeSchema, paramsSchema } from './schema.ts'
import { locate, positionAt, type SourceFile, type ValuePath } from './source.ts'
import { check } from './validate.ts'

export interface PlannedStage {
  /** The stage's name; for a matrix instance `template[name]`. */
  readonly name: string
  readonly kind: string
  readonly def: StageDef
  /** Parameters with defaults applied, without the core's own `save`. */
  readonly params: Readonly<Record<string, unknown>>
  /** `save:` — write the frame to data.csv (all columns, or these). */
  readonly save: boolean | readonly string[]
  /** Stages whose outputs this one reads (from reference parameters), in first-use order. */
  readonly refs: readonly string[]
  /** Stages named in `needs:` (order only). */
  readonly needs: readonly string[]
  /** Files named by path parameters, resolved. */
  readonly files: Readonly<Record<string, { readonly rel: string; readonly abs: string }>>
  readonly expect: readonly Expectation[]
  /** Where the stage is written in the file: `['stages', <name or template>]`. */
  readonly path: ValuePath
  /** For a matrix instance: the template's name and this instance's values. */
  readonly template?: string
  readonly matrix?: Readonly<Record<string, Json>>
  /** Paths (under `with`/`expect`) whose whole value is a matrix value, and where that value is written. */
  readonly origins?: ReadonlyMap<string, ValuePath>
}

export interface Plan {
  readonly src: SourceFile
  /** The project folder: paths in the pipeline must stay inside it. */
  readonly root: string
  readonly name: string
  readonly title?: string
  readonly panel?: { readonly unit: string; readonly time: string }
  readonly seed: number
  /** Stages in file order (matrix instances in expansion order, where their template stands). */
  readonly stages: readonly PlannedStage[]
  readonly byName: ReadonlyMap<string, PlannedStage>
  /** Matrix templates and their instances. */
  readonly groups: ReadonlyMap<string, readonly string[]>
  readonly graph: StageGraph
  /** Topological order (ties in file order). */
  readonly order: readonly string[]
}

export interface PlanOptions {
  root: string
  /** The root and how it was chosen (src/cli/context.ts), for messages about paths outside it. */
  rootHow?: string
  /** Allow path parameters that leave the project folder. */
  allowOutside?: boolean
}

type RawStage = { uses: string; with?: Record<string, unknown>; needs?: string[]; expect?: string[]; matrix?: MatrixSpec; names?: string[] | string }

interface FileShape {
  quasi: 1
  name: string
  title?: string
  panel?: { unit: string; time: string }
  seed: number
  stages: Record<string, RawStage>
}

/** One stage to plan: an ordinary stage, or one instance of a template. */
interface Entry {
  readonly name: string
  readonly raw: RawStage
  readonly path: ValuePath
  readonly template?: string
  readonly instance?: Instance
}

/** The position of `sub` (e.g. `['with', 'controls', 1]`) in a planned stage, through matrix values where they came from. */
export function locateIn(src: SourceFile, stage: Pick<PlannedStage, 'path' | 'origins'>, sub: ValuePath, opts: { key?: boolean; offset?: number } = {}): SourcePos {
  if (stage.origins) {
    for (let n = sub.length; n > 0; n--) {
      const at = stage.origins.get(pathKey(sub.slice(0, n)))
      if (at) return locate(src, [...at, ...sub.slice(n)], opts)
    }
  }
  return locate(src, [...stage.path, ...sub], opts)
}

const pathKey = (p: ValuePath) => p.join('\u0000')

export function makePlan(src: SourceFile, registry: readonly StageDef[], opts: PlanOptions): Plan {
  const kinds = new Map(registry.map((d) => [d.kind, d]))
  const value = toValue(src)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new QuasiErrors([
      new QuasiError('WRONG_TYPE', 'a pipeline file is a mapping with `quasi`, `name` and `stages`', {
        pos: locate(src, []),
        found: Array.isArray(value) ? 'a list' : String(value),
        hint: 'start from `quasi init` or pipelines/cluster-gie.yaml',
      }),
    ])
  }
  const errors: QuasiError[] = check(envelopeSchema([...kinds.keys()].sort()), value, { src, base: [], noun: 'key' })
  const file = value as FileShape
  const stagesIn = file.stages && typeof file.stages === 'object' && !Array.isArray(file.stages) ? file.stages : {}

  // ---- expand matrix templates -------------------------------------------------------
  const entries: Entry[] = []
  const groups = new Map<string, string[]>()
  // Looking for placeholders in every value of every stage costs a walk of the whole file; none can be there without `${{` in its text.
  const placeholders = src.text.includes('${{')
  for (const name of Object.keys(stagesIn)) {
    const raw = stagesIn[name]
    if (!raw || typeof raw !== 'object') continue
    const path = ['stages', name]
    const kind = typeof raw.uses === 'string' ? kinds.get(raw.uses)?.kind : undefined
    if (raw.matrix === undefined || raw.matrix === null || typeof raw.matrix !== 'object') {
      if (raw.names !== undefined) {
        errors.push(new QuasiError('INVALID_VALUE', '`names` names the instances of a matrix, but the stage has no `matrix:`', { pos: locate(src, [...path, 'names'], { key: true }), stage: name, kind }))
      }
      for (const part of ['with', 'expect'] as const) {
        if (placeholders && hasPlaceholder(raw[part])) {
          errors.push(new QuasiError('INVALID_VALUE', '`${{ matrix.… }}` is used, but the stage has no `matrix:`', {
            pos: locate(src, [...path, part]), stage: name, kind, hint: 'add `matrix: { key: [values] }` to the stage, or write the value itself',
          }))
        }
      }
      entries.push({ name, raw, path })
      continue
    }
    const { instances, problems } = expandMatrix(name, raw.matrix, raw.names)
    for (const pr of problems) {
      pr.error.pos = locate(src, [...path, ...pr.path], { offset: pr.error.offset })
      errors.push(pr.error.inStage(name, kind ?? String(raw.uses)))
    }
    if (instances.length === 0 && problems.length === 0) {
      errors.push(new QuasiError('INVALID_VALUE', 'the matrix has no combinations left (every one is excluded)', { pos: locate(src, [...path, 'matrix']), stage: name, kind }))
    }
    groups.set(name, instances.map((i) => i.name))
    for (const instance of instances) entries.push({ name: instance.name, raw, path, template: name, instance })
  }
  const names = entries.map((e) => e.name)
  const nameSet = new Set(names)
  const referable = [...names, ...groups.keys()]
  const stages: PlannedStage[] = []
  const seen = new Set<string>()
  const report = (e: QuasiError) => {
    // A mistake in a template shows once (for its first instance), not once per instance.
    const template = e.stage?.includes('[') ? e.stage.slice(0, e.stage.indexOf('[')) : undefined
    const message = template ? e.message.split(e.stage!).join(template) : e.message
    const k = `${e.code}|${e.pos?.line}:${e.pos?.col}|${message}`
    if (!seen.has(k)) { seen.add(k); errors.push(e) }
  }

  for (const entry of entries) {
    const { name, raw, path } = entry
    const def = typeof raw.uses === 'string' ? kinds.get(raw.uses) : undefined
    if (!def) continue // reported by the envelope (unknown kind)
    const origins = new Map<string, ValuePath>()
    const at = (...sub: ValuePath) => locateIn(src, { path, origins }, sub)
    let withRaw: unknown = raw.with === undefined || raw.with === null ? {} : raw.with
    let expectRaw: unknown = raw.expect
    if (entry.instance) {
      const inst = entry.instance
      for (const [part, v] of [['with', withRaw], ['expect', expectRaw]] as const) {
        const r = substitute(v, inst.values)
        for (const pr of r.problems) {
          pr.error.pos = locate(src, [...path, part, ...pr.path], { offset: pr.error.offset })
          report(pr.error.inStage(name, def.kind))
        }
        for (const [p, key] of r.origins) if (inst.from[key]) origins.set(pathKey([part, ...p]), [...path, ...inst.from[key]])
        if (part === 'with') withRaw = r.value
        else expectRaw = r.value
      }
    }
    // Validation fills in defaults and group references become lists, in place: instances of
    // one template need their own copy; an ordinary stage's value is read by this stage alone.
    const withValue = (entry.instance ? structuredClone(withRaw) : withRaw) as Record<string, unknown>
    if (typeof withValue !== 'object' || Array.isArray(withValue)) continue // envelope reported it
    const schemaErrors = check(paramsSchema(def), withValue, { src, base: [...path, 'with'], noun: 'parameter', stage: name, kind: def.kind })
    for (const e of schemaErrors) {
      if (origins.size && e.param === undefined) e.pos = remap(e, src, path, origins) ?? e.pos
      report(e)
    }
    if (schemaErrors.length === 0 && def.check) {
      const { save: _save, ...checked } = withValue
      for (const e of def.check(checked)) {
        e.pos = at('with', ...(e.param ?? []))
        if (e.offset !== undefined) e.pos = locateIn(src, { path, origins }, ['with', ...(e.param ?? [])], { offset: e.offset })
        report(e.inStage(name, def.kind))
      }
    }

    const refs: string[] = []
    for (const p of def.references) {
      // A reference parameter holds a stage name, a list of names, or a map whose values are
      // names or lists (e.g. `panels: { "Panel A": [a, b] }`); each such value is one slot.
      const top = withValue[p]
      const slots: { sub: ValuePath; v: unknown; set: (list: string[]) => void }[] = isMap(top) && acceptsMap(def.params, p)
        ? Object.keys(top).map((k) => ({ sub: [p, k], v: top[k], set: (list: string[]) => void (top[k] = list) }))
        : [{ sub: [p], v: top, set: (list: string[]) => void (withValue[p] = list) }]
      for (const { sub, v, set } of slots) {
        const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
        const resolved: string[] = []
        const where = (target: string) => (typeof v === 'string' ? at('with', ...sub) : at('with', ...sub, Math.max(0, list.indexOf(target))))
        list.forEach((target) => {
          const group = groups.get(target)
          if (target === name || target === entry.template) {
            const what = target === name ? 'itself' : `its own matrix \`${target}\``
            report(new QuasiError('SELF_REFERENCE', `stage \`${name}\` refers to ${what} in \`${p}\``, {
              pos: where(target), stage: name, kind: def.kind,
              hint: `\`${p}\` names another stage whose output this one reads`,
            }))
          } else if (group) {
            if (typeof v === 'string' && !acceptsList(def.params, sub)) {
              report(new QuasiError('INVALID_VALUE', `\`${p}\` names the matrix stage \`${target}\`, which has ${group.length} instances; \`${p}\` takes one stage`, {
                pos: where(target), stage: name, kind: def.kind, expected: `one instance, e.g. ${group.slice(0, 3).map((g) => '`' + g + '`').join(', ')}`,
              }))
            } else for (const g of group) resolved.push(g)
          } else if (!nameSet.has(target)) {
            const near = suggest(target, referable.filter((n) => n !== name))
            report(new QuasiError('MISSING_STAGE', `\`${p}\` refers to stage \`${target}\`, which does not exist${near ? `; did you mean \`${near}\`?` : ''}`, {
              pos: where(target), stage: name, kind: def.kind,
              expected: `one of the pipeline's stages: ${referable.filter((n) => n !== name).slice(0, 30).map((n) => '`' + n + '`').join(', ')}`,
            }))
          } else resolved.push(target)
        })
        // A group reference becomes the list of its instances, which is what the stage reads.
        if (list.some((t) => groups.has(t))) set(resolved)
        for (const r of resolved) if (!refs.includes(r)) refs.push(r)
        const wants = def.consumes?.[p]
        if (wants) {
          resolved.forEach((target) => {
            const up = stageKind(stagesIn, kinds, target, groups)
            if (up && !up.produces?.includes(wants)) {
              const written = list.includes(target) ? target : target.slice(0, target.indexOf('['))
              report(new QuasiError('INVALID_VALUE', `\`${p}\` refers to stage \`${target}\` (${up.kind}), which produces no ${artifactKinds[wants].noun}`, {
                pos: where(written), stage: name, kind: def.kind,
                expected: `a stage of a kind that produces one: ${kindsProducing(registry, wants)}`,
              }))
            }
          })
        }
      }
    }
    const needs: string[] = []
    ;(Array.isArray(raw.needs) ? raw.needs : []).forEach((target, i) => {
      if (typeof target !== 'string') return
      const where = locate(src, [...path, 'needs', i])
      if (target === name || target === entry.template) {
        report(new QuasiError('SELF_REFERENCE', `stage \`${name}\` names itself in \`needs\``, { pos: where, stage: name, kind: def.kind }))
      } else if (groups.has(target)) {
        for (const g of groups.get(target)!) if (!needs.includes(g)) needs.push(g)
      } else if (!nameSet.has(target)) {
        const near = suggest(target, referable)
        report(new QuasiError('MISSING_STAGE', `\`needs\` names stage \`${target}\`, which does not exist${near ? `; did you mean \`${near}\`?` : ''}`, {
          pos: where, stage: name, kind: def.kind,
        }))
      } else needs.push(target)
    })

    const files: Record<string, { rel: string; abs: string }> = {}
    for (const p of def.files ?? []) {
      const rel = withValue[p]
      if (typeof rel !== 'string') continue
      const problem = checkPath(src, rel, opts)
      if (problem) {
        report(new QuasiError(problem.code, problem.message, {
          pos: at('with', p), stage: name, kind: def.kind, hint: problem.hint, found: problem.found,
        }))
      } else files[p] = { rel, abs: resolve(dirname(src.abs), rel) }
    }

    const expect: Expectation[] = []
    ;(Array.isArray(expectRaw) ? expectRaw : []).forEach((line, i) => {
      if (typeof line !== 'string') return
      try {
        const x = parseExpectation(line)
        for (const o of [x.left, x.right]) {
          if (!('fact' in o) || !def.facts || factDeclared(o.fact, def.facts)) continue
          const near = suggest(o.fact, def.facts)
          throw new QuasiError('BAD_EXPECTATION', `stage kind \`${def.kind}\` reports no fact \`${o.fact}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
            offset: Math.max(0, line.indexOf(o.fact.split('(')[0])),
            expected: `one of ${def.facts.map((f) => '`' + f + '`').join(', ')}`,
            hint: 'docs/stages.md lists the facts of every stage kind',
          })
        }
        expect.push(x)
      } catch (e) {
        if (!(e instanceof QuasiError)) throw e
        e.pos = locateIn(src, { path, origins }, ['expect', i], { offset: origins.has(pathKey(['expect', i])) ? undefined : e.offset })
        report(e.inStage(name, def.kind))
      }
    })

    const { save, ...params } = withValue
    stages.push({
      name, kind: def.kind, def, params,
      save: def.produces?.includes('frame') ? ((save as boolean | string[] | undefined) ?? false) : false,
      refs, needs, files, expect, path,
      ...(entry.instance ? { template: entry.template, matrix: entry.instance.values, origins } : {}),
    })
  }

  const graph = new StageGraph(stages.map((s) => ({ name: s.name, deps: [...s.refs, ...s.needs.filter((n) => !s.refs.includes(n))] })))
  const cycle = graph.findCycle()
  if (cycle) {
    const first = stages.find((s) => s.name === cycle[0])!
    const raw = stagesIn[first.template ?? first.name]
    // The next stage may be named directly or through its matrix group.
    const targets = [cycle[1], ...[...groups].filter(([, inst]) => inst.includes(cycle[1])).map(([g]) => g)]
    const namesIn = (v: unknown): unknown[] => (isMap(v) ? Object.values(v).flatMap(namesIn) : Array.isArray(v) ? v : [v])
    const via = [...first.def.references, 'needs'].find((p) => {
      const v = p === 'needs' ? raw.needs : raw.with?.[p]
      return targets.some((t) => namesIn(v).includes(t))
    })
    const path = via === 'needs' ? [...first.path, 'needs'] : [...first.path, 'with', via ?? '']
    errors.push(new QuasiError('CYCLE', `cycle: ${cycle.join(' → ')}`, {
      pos: locate(src, path), stage: first.name, kind: first.kind,
      hint: 'each arrow means "takes input from"; a stage cannot depend on its own results. Remove one of these references',
    }))
  }
  const order = errors.length === 0 ? graph.order() : []
  // Column names only make sense to check in a file that is otherwise sound.
  if (errors.length === 0) {
    for (const e of checkColumns(stages, order, readFileHeader, {
      panel: file.panel,
      locate: (s, param, offset) => locateIn(src, s, ['with', ...param], { offset }),
    })) report(e)
  }
  if (errors.length > 0) throw new QuasiErrors(sortErrors(errors))

  return {
    src,
    root: opts.root,
    name: file.name,
    title: file.title,
    panel: file.panel,
    seed: file.seed ?? 1,
    stages,
    byName: new Map(stages.map((s) => [s.name, s])),
    groups,
    graph,
    order,
  }
}

/** Aliases (`*a`) may expand to at most this many values; more is an "alias bomb". */
const MAX_ALIAS_COUNT = 100

/** The document as plain values. yaml throws a bare ReferenceError for too many aliases; that is the user's file, not a bug. */
function toValue(src: SourceFile): unknown {
  // Built while the duplicate keys were looked for, when the file has no aliases (which are what the rest of this function is about).
  const built = takePlainValue(src)
  if (built) return built.value
  // An alias inside the node its anchor names (`a: &w { b: *w }`) makes a cyclic value, which no stage can take.
  let cyclic: Alias | undefined
  visit(src.doc, {
    Alias: (_, node) => {
      const target = node.resolve(src.doc)
      if (target?.range && node.range && node.range[0] >= target.range[0] && node.range[1] <= target.range[2]) {
        cyclic = node
        return visit.BREAK
      }
    },
  })
  if (cyclic?.range) {
    return fail(new QuasiError('YAML_ALIASES', `the alias \`*${cyclic.source}\` lies inside the value its anchor \`&${cyclic.source}\` names, so the value would contain itself`, {
      pos: positionAt(src, cyclic.range[0], Math.max(1, cyclic.range[1] - cyclic.range[0])),
      hint: 'an alias can repeat a value defined earlier, not the one it is part of; write the inner value out',
    }))
  }
  try {
    return src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    if (!(e instanceof ReferenceError) || !/alias/i.test(e.message)) throw e
    let first: Node | undefined
    visit(src.doc, { Alias: (_, node) => { first = node; return visit.BREAK } })
    const pos = first?.range ? positionAt(src, first.range[0], Math.max(1, first.range[1] - first.range[0])) : locate(src, [])
    if (/Excessive alias count/.test(e.message)) {
      return fail(new QuasiError('YAML_ALIASES', `the file's aliases (\`*name\`) expand to more than ${MAX_ALIAS_COUNT} values`, {
        pos,
        hint: 'aliases that repeat aliases multiply (an "alias bomb"); write the values out, or use fewer aliases',
      }))
    }
    return fail(new QuasiError('YAML_SYNTAX', e.message, { pos, hint: 'an alias `*name` needs an anchor `&name` earlier in the file' }))
  }
}

function fail(e: QuasiError): never {
  throw new QuasiErrors([e])
}

/** An ajv error inside a value that came whole from the matrix: point at the matrix value. */
function remap(e: QuasiError, src: SourceFile, path: ValuePath, origins: ReadonlyMap<string, ValuePath>): SourcePos | undefined {
  if (!e.pos) return undefined
  for (const [k, at] of origins) {
    const sub = k.split('\u0000')
    const here = locate(src, [...path, ...sub])
    if (here.line === e.pos.line && here.col === e.pos.col) return locate(src, at)
  }
  return undefined
}

/**
 * Whether the schema at `[param]` or `[param, key]` (a value of a map parameter) takes a
 * list, so that a matrix group can stand for its instances.
 */
function acceptsList(schema: JsonSchema, sub: ValuePath): boolean {
  const branches = (s: JsonSchema | undefined): JsonSchema[] => (s ? [s, ...((s.oneOf ?? s.anyOf ?? []) as JsonSchema[])] : [])
  let here = branches(((schema.properties ?? {}) as Record<string, JsonSchema>)[String(sub[0])])
  if (sub.length > 1) here = here.flatMap((b) => (b.additionalProperties && typeof b.additionalProperties === 'object' ? branches(b.additionalProperties as JsonSchema) : []))
  return here.some((b) => b.type === 'array')
}

/** Whether a reference parameter's schema takes a map (of names or lists of names). */
function acceptsMap(schema: JsonSchema, param: string): boolean {
  const s = ((schema.properties ?? {}) as Record<string, JsonSchema>)[param]
  return Boolean(s) && [s, ...((s.oneOf ?? s.anyOf ?? []) as JsonSchema[])].some((b) => b.type === 'object')
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function stageKind(stagesIn: Record<string, RawStage>, kinds: ReadonlyMap<string, StageDef>, name: string, groups: ReadonlyMap<string, readonly string[]>): StageDef | undefined {
  const template = name.includes('[') ? name.slice(0, name.indexOf('[')) : name
  const raw = stagesIn[groups.has(template) ? template : name]
  return raw && typeof raw.uses === 'string' ? kinds.get(raw.uses) : undefined
}

function kindsProducing(registry: readonly StageDef[], what: ArtifactName): string {
  return registry.filter((d) => d.produces?.includes(what)).map((d) => d.kind).sort().join(', ')
}

function sortErrors(errors: QuasiError[]): QuasiError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.pos?.line ?? 0) - (b.e.pos?.line ?? 0) || (a.e.pos?.col ?? 0) - (b.e.pos?.col ?? 0) || a.i - b.i)
    .map((x) => x.e)
}

function checkPath(src: SourceFile, rel: string, opts: PlanOptions): { code: 'MISSING_FILE' | 'PATH_OUTSIDE_PROJECT'; message: string; hint?: string; found?: string } | undefined {
  const base = dirname(src.abs)
  const abs = resolve(base, rel)
  const root = realOr(opts.root)
  // An absolute path is fine when it is inside the project; `..` is fine while it stays inside.
  if (!opts.allowOutside && !inside(realOr(abs), root)) {
    return {
      code: 'PATH_OUTSIDE_PROJECT',
      message: `path \`${rel}\` is outside the project folder`,
      hint: `the project folder is ${opts.rootHow ?? opts.root}; data files must be inside it (paths are relative to the pipeline file). Pass --root DIR to choose another project folder, or --allow-outside`,
    }
  }
  if (!existsSync(abs)) {
    const dir = dirname(abs)
    const near = existsSync(dir) ? suggest(abs.slice(dir.length + 1), readdirSync(dir)) : undefined
    return {
      code: 'MISSING_FILE',
      message: `file \`${rel}\` does not exist${near ? `; did you mean \`${relative(base, resolve(dir, near)).split(sep).join('/')}\`?` : ''}`,
      hint: 'paths are relative to the folder of the pipeline file',
    }
  }
  return undefined
}

function realOr(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return resolve(p)
  }
}

function inside(p: string, root: string): boolean {
  const r = relative(root, p)
  return r === '' || (!r.startsWith('..') && !isAbsolute(r))
}
