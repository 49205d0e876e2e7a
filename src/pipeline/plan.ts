/**
 * From the file as written to the resolved plan: validate the envelope, validate each
 * stage's `with:` against its kind (defaults applied), then the named rules (references
 * exist, no self-reference, files inside the project, expectations readable, no cycle),
 * and last the column names the stages use (columns.ts).
 * Every problem is collected; the plan is returned only when there are none.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { QuasiError, QuasiErrors } from '../errors.ts'
import type { StageDef } from '../stage.ts'
import { suggest } from '../suggest.ts'
import { StageGraph } from '../graph/graph.ts'
import { checkColumns, readFileHeader } from './columns.ts'
import { parseExpectation, type Expectation } from './expect.ts'
import { envelopeSchema, paramsSchema } from './schema.ts'
import { locate, type SourceFile } from './source.ts'
import { check } from './validate.ts'

export interface PlannedStage {
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
}

export interface Plan {
  readonly src: SourceFile
  /** The project folder: paths in the pipeline must stay inside it. */
  readonly root: string
  readonly name: string
  readonly title?: string
  readonly panel?: { readonly unit: string; readonly time: string }
  readonly seed: number
  /** Stages in file order. */
  readonly stages: readonly PlannedStage[]
  readonly byName: ReadonlyMap<string, PlannedStage>
  readonly graph: StageGraph
  /** Topological order (ties in file order). */
  readonly order: readonly string[]
}

export interface PlanOptions {
  root: string
  /** Allow path parameters that leave the project folder. */
  allowOutside?: boolean
}

interface FileShape {
  quasi: 1
  name: string
  title?: string
  panel?: { unit: string; time: string }
  seed: number
  stages: Record<string, { uses: string; with?: Record<string, unknown>; needs?: string[]; expect?: string[] }>
}

export function makePlan(src: SourceFile, registry: readonly StageDef[], opts: PlanOptions): Plan {
  const kinds = new Map(registry.map((d) => [d.kind, d]))
  const value = src.doc.toJS({ maxAliasCount: 100 }) as unknown
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
  const names = Object.keys(stagesIn)
  const nameSet = new Set(names)
  const stages: PlannedStage[] = []

  for (const name of names) {
    const raw = stagesIn[name]
    if (!raw || typeof raw !== 'object') continue
    const def = typeof raw.uses === 'string' ? kinds.get(raw.uses) : undefined
    if (!def) continue // reported by the envelope (unknown kind)
    const withValue = raw.with === undefined || raw.with === null ? {} : structuredClone(raw.with)
    const at = ['stages', name, 'with']
    if (typeof withValue !== 'object' || Array.isArray(withValue)) continue // envelope reported it
    const schemaErrors = check(paramsSchema(def), withValue, { src, base: at, noun: 'parameter', stage: name, kind: def.kind })
    errors.push(...schemaErrors)
    if (schemaErrors.length === 0 && def.check) {
      const { save: _save, ...checked } = withValue as Record<string, unknown>
      for (const e of def.check(checked)) {
        e.pos = locate(src, [...at, ...(e.param ?? [])], { offset: e.offset })
        errors.push(e.inStage(name, def.kind))
      }
    }

    const refs: string[] = []
    for (const p of def.references) {
      const v = (withValue as Record<string, unknown>)[p]
      const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
      list.forEach((target, i) => {
        const path = typeof v === 'string' ? [...at, p] : [...at, p, i]
        if (target === name) {
          errors.push(new QuasiError('SELF_REFERENCE', `stage \`${name}\` refers to itself in \`${p}\``, {
            pos: locate(src, path), stage: name, kind: def.kind,
            hint: `\`${p}\` names another stage whose output this one reads`,
          }))
        } else if (!nameSet.has(target)) {
          const near = suggest(target, names.filter((n) => n !== name))
          errors.push(new QuasiError('MISSING_STAGE', `\`${p}\` refers to stage \`${target}\`, which does not exist${near ? `; did you mean \`${near}\`?` : ''}`, {
            pos: locate(src, path), stage: name, kind: def.kind,
            expected: `one of the pipeline's stages: ${names.filter((n) => n !== name).map((n) => '`' + n + '`').join(', ')}`,
          }))
        } else if (!refs.includes(target)) refs.push(target)
      })
    }
    const needs: string[] = []
    ;(Array.isArray(raw.needs) ? raw.needs : []).forEach((target, i) => {
      if (typeof target !== 'string') return
      const path = ['stages', name, 'needs', i]
      if (target === name) {
        errors.push(new QuasiError('SELF_REFERENCE', `stage \`${name}\` names itself in \`needs\``, { pos: locate(src, path), stage: name, kind: def.kind }))
      } else if (!nameSet.has(target)) {
        const near = suggest(target, names)
        errors.push(new QuasiError('MISSING_STAGE', `\`needs\` names stage \`${target}\`, which does not exist${near ? `; did you mean \`${near}\`?` : ''}`, {
          pos: locate(src, path), stage: name, kind: def.kind,
        }))
      } else needs.push(target)
    })

    const files: Record<string, { rel: string; abs: string }> = {}
    for (const p of def.files ?? []) {
      const rel = (withValue as Record<string, unknown>)[p]
      if (typeof rel !== 'string') continue
      const problem = checkPath(src, rel, opts)
      if (problem) {
        errors.push(new QuasiError(problem.code, problem.message, {
          pos: locate(src, [...at, p]), stage: name, kind: def.kind, hint: problem.hint, found: problem.found,
        }))
      } else files[p] = { rel, abs: resolve(dirname(src.abs), rel) }
    }

    const expect: Expectation[] = []
    ;(Array.isArray(raw.expect) ? raw.expect : []).forEach((line, i) => {
      if (typeof line !== 'string') return
      try {
        expect.push(parseExpectation(line))
      } catch (e) {
        if (!(e instanceof QuasiError)) throw e
        e.pos = locate(src, ['stages', name, 'expect', i], { offset: e.offset })
        errors.push(e.inStage(name, def.kind))
      }
    })

    const { save, ...params } = withValue as Record<string, unknown>
    stages.push({
      name, kind: def.kind, def, params,
      save: def.producesFrame ? ((save as boolean | string[] | undefined) ?? false) : false,
      refs, needs, files, expect,
    })
  }

  const graph = new StageGraph(stages.map((s) => ({ name: s.name, deps: [...s.refs, ...s.needs.filter((n) => !s.refs.includes(n))] })))
  const cycle = graph.findCycle()
  if (cycle) {
    const first = stages.find((s) => s.name === cycle[0])!
    const via = [...first.def.references, 'needs'].find((p) => {
      const v = p === 'needs' ? stagesIn[first.name].needs : stagesIn[first.name].with?.[p]
      return v === cycle[1] || (Array.isArray(v) && v.includes(cycle[1]))
    })
    const path = via === 'needs' ? ['stages', first.name, 'needs'] : ['stages', first.name, 'with', via ?? '']
    errors.push(new QuasiError('CYCLE', `cycle: ${cycle.join(' → ')}`, {
      pos: locate(src, path), stage: first.name, kind: first.kind,
      hint: 'each arrow means "takes input from"; a stage cannot depend on its own results. Remove one of these references',
    }))
  }
  // Column names only make sense to check in a file that is otherwise sound.
  if (errors.length === 0) {
    errors.push(...checkColumns(stages, graph.order(), readFileHeader, { src, panel: file.panel, pathOf: (name) => ['stages', name, 'with'] }))
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
    graph,
    order: graph.order(),
  }
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
  if (!opts.allowOutside && (isAbsolute(rel) || !inside(realOr(abs), root))) {
    return {
      code: 'PATH_OUTSIDE_PROJECT',
      message: `path \`${rel}\` leads outside the project folder`,
      hint: 'keep data files inside the project (paths are relative to the pipeline file), or run with --allow-outside',
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
