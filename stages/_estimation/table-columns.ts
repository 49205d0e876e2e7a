/**
 * The models a `table` or `coefplot` shows: each referenced stage contributes its main model
 * (src/artifacts/model.ts, `ModelSet.main`), in the order written. The planner has already
 * checked that every name exists and produces a model, and has replaced a matrix group by
 * its instances in order, so here a selection is a plain list of stage names.
 */
import { mainModel, type Model } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext } from '../../src/stage.ts'

export interface Column {
  /** The stage (or matrix instance) the model comes from. */
  readonly stage: string
  readonly model: Model
}

/** A selection as written (`baseline`, `[a, b]`) or as planned (a group's instances): a list of names. */
export function namesOf(selection: string | readonly string[]): string[] {
  return typeof selection === 'string' ? [selection] : [...selection]
}

/** The main model of each named stage, in order. `param` is where the selection is written. */
export function selectColumns(ctx: StageContext<unknown>, selection: string | readonly string[], param: readonly (string | number)[]): Column[] {
  return namesOf(selection).map((stage) => {
    const set = ctx.input(stage).artifact('model')
    if (!set) {
      // The planner refuses this through `consumes`; a test context or a library caller may not.
      throw new QuasiError('INVALID_VALUE', `stage \`${stage}\` produces no fitted models`, { param, expected: 'a stage that produces fitted models (did, event-study)' })
    }
    return { stage, model: mainModel(set) }
  })
}

/**
 * Names for the columns of a figure: the instance names when every column is an instance of
 * one matrix stage (`het[east]` → `east`), else the stage names.
 */
export function stageLabels(stages: readonly string[]): string[] {
  const template = (s: string) => (/^[^[]+\[[^\]]+\]$/.test(s) ? s.slice(0, s.indexOf('[')) : undefined)
  const t = template(stages[0])
  if (t !== undefined && stages.every((s) => template(s) === t)) {
    const inner = stages.map((s) => s.slice(t.length + 1, -1))
    if (new Set(inner).size === inner.length) return inner
  }
  return [...stages]
}

/** `column_labels`, checked against the number of columns. */
export function columnLabels(given: readonly string[] | undefined, n: number): string[] | undefined {
  if (given === undefined) return undefined
  if (given.length !== n) {
    throw new QuasiError('INVALID_VALUE', `Expected \`column_labels\` to have ${n} label${n === 1 ? '' : 's'} (one per column), got ${given.length}`, {
      param: ['column_labels'],
      expected: `${n} labels`,
      found: String(given.length),
    })
  }
  return [...given]
}
