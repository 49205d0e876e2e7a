/**
 * Rule: column names, checked without running anything. The planned stages are walked in
 * dependency order; each kind's `columns` hook gets what is known of its inputs (the header
 * of an ingested file, the columns an upstream hook announced) and returns the columns of
 * its own frame and the problems with the columns it names. A kind without a hook, or a
 * hook that cannot tell, leaves its output unknown, and hooks skip what they cannot know:
 * a pipeline that would run never fails this rule.
 */
import { readHeader } from '../artifacts/read/header.ts'
import type { Encoding } from '../artifacts/encoding.ts'
import type { QuasiError, SourcePos } from '../errors.ts'
import type { ColumnContext } from '../stage.ts'
import type { PlannedStage } from './plan.ts'
import type { ValuePath } from './source.ts'

/** Column names of a stage's file parameter, read with the stage's parameters as reader options. */
export type HeaderReader = (file: { readonly rel: string; readonly abs: string }, params: Readonly<Record<string, unknown>>) => readonly string[] | undefined

/** The header reader of src/artifacts/read/header.ts, with `ingest`'s reader options. */
export const readFileHeader: HeaderReader = (file, params) => {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
  // An unknown `format` (another kind's parameter of that name) makes readHeader return undefined.
  return readHeader(file.abs, {
    format: text(params.format) as 'auto' | undefined,
    delimiter: text(params.delimiter),
    encoding: text(params.encoding) as Encoding | undefined,
    decimal: params.decimal === ',' ? ',' : undefined,
  })
}

export interface ColumnCheckOptions {
  readonly panel?: { readonly unit: string; readonly time: string }
  /** The position of a parameter of a stage (`param` is the path inside its `with:`). */
  locate(stage: PlannedStage, param: ValuePath, offset?: number): SourcePos
}

/** Located errors (stage and kind set) of every hook, in the order the stages were visited. */
export function checkColumns(
  stages: readonly PlannedStage[],
  order: readonly string[],
  readHeader: HeaderReader,
  opts: ColumnCheckOptions,
): QuasiError[] {
  const byName = new Map(stages.map((s) => [s.name, s]))
  /** Output columns of the stages visited so far; undefined when not known. */
  const known = new Map<string, readonly string[] | undefined>()
  const errors: QuasiError[] = []
  for (const name of order) {
    const stage = byName.get(name)
    if (!stage?.def.columns) continue
    const ctx: ColumnContext = {
      input(param, index) {
        if (!stage.def.references.includes(param)) return undefined
        const v = stage.params[param]
        const target = Array.isArray(v) ? v[index ?? 0] : index === undefined || index === 0 ? v : undefined
        return typeof target === 'string' ? known.get(target) : undefined
      },
      header(param) {
        const file = stage.files[param]
        return file ? readHeader(file, stage.params) : undefined
      },
      ...(opts.panel ? { panel: { unit: opts.panel.unit, time: opts.panel.time } } : {}),
    }
    const r = stage.def.columns(stage.params, ctx)
    known.set(name, r.columns)
    for (const e of r.errors) {
      e.pos = opts.locate(stage, e.param ?? [], e.offset)
      errors.push(e.inStage(name, stage.kind))
    }
  }
  return errors
}
