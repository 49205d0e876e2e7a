/** `with:` of the `measure-gie` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */

export const gieModels = ['super-sbm', 'sbm', 'ccr', 'bcc', 'gml'] as const
export type GieModel = (typeof gieModels)[number]
export const gieFrontiers = ['global', 'contemporaneous', 'window', 'sequential'] as const

const columnArray = (description: string, minItems: number) => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  minItems,
  uniqueItems: true,
  description,
})

export const measureGieParams = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'inputs', 'desirable'],
  properties: {
    from: { type: 'string', description: 'Stage whose frame holds the inputs and outputs, one row per unit-year of the declared panel.', examples: ['vars'] },
    model: {
      enum: [...gieModels],
      default: 'super-sbm',
      description:
        '`super-sbm`: SBM with undesirable outputs for every unit-year, and super-SBM (≥ 1) for those that are SBM efficient (Tone 2001, 2002, 2003; as MaxDEA/DEARUN "Super-SBM-Undesirable"). ' +
        '`sbm`: SBM with undesirable outputs only (≤ 1). `ccr` / `bcc`: input-oriented radial models under constant / variable returns, undesirable outputs treated as inputs. ' +
        '`gml`: global Malmquist–Luenberger productivity index (Oh 2010) from directional distance functions with direction (0, yᵍ, −yᵇ); adds `<as>_ec`, `<as>_tc` and `<as>_cum`.',
    },
    returns: {
      enum: ['constant', 'variable'],
      description: 'Returns to scale. Default: `constant` (`bcc`: `variable`). `ccr` with `variable` or `bcc` with `constant` is an error.',
    },
    orientation: {
      enum: ['none', 'input'],
      description:
        'SBM models: `none` (non-oriented, the default) or `input` (input-oriented, the score counts input slacks only). Radial models are input-oriented and accept only `input` (their default). `gml` has no orientation.',
    },
    frontier: {
      enum: [...gieFrontiers],
      default: 'global',
      description:
        'Reference technology. `global`: all years pooled (super-SBM leaves out only the unit-year itself). `contemporaneous`: the same year. ' +
        '`sequential`: the same and all earlier years. `window`: DEA window analysis over `window` consecutive years, each unit-year scored as the mean over the windows containing it. `gml` requires `global`.',
    },
    window: { type: 'integer', minimum: 1, default: 3, description: 'Window width in years for `frontier: window` (Charnes et al. 1985 suggest 3).' },
    inputs: columnArray('Input columns (x), all ≥ 0.', 1),
    desirable: columnArray('Desirable output columns (yᵍ), all ≥ 0.', 1),
    undesirable: { ...columnArray('Undesirable output columns (yᵇ: emissions, waste), all ≥ 0. May be empty.', 0), default: [] },
    as: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      default: 'gie',
      description: 'Name of the score column added to the frame (and the name in facts such as `mean(gie)`).',
    },
    zeros: {
      enum: ['replace', 'exclude'],
      default: 'replace',
      description:
        'Zero values in inputs or outputs, which the slack ratios s/x and s/y cannot divide by. `replace`: the usual small-positive substitution, ' +
        'each zero becomes `zero_value` × the smallest positive value of its column (counted per column in summary.md). `exclude`: unit-years with a zero are left out (score missing).',
    },
    zero_value: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.01,
      description: 'With `zeros: replace`: the substitute for a zero, as a fraction of the smallest positive value in the same column.',
    },
    super_infeasible: {
      enum: ['one', 'missing'],
      default: 'one',
      description:
        'A super-SBM LP can be infeasible (variable returns; undesirable outputs). `one`: the unit-year keeps its SBM score, 1 (it is SBM efficient). `missing`: its score is missing. The unit-years are named in the log and summary.md either way.',
    },
  },
} as const

/** `with:` after defaults are applied. */
export interface MeasureGieParams {
  from: string
  model: GieModel
  returns?: 'constant' | 'variable'
  orientation?: 'none' | 'input'
  frontier: (typeof gieFrontiers)[number]
  window: number
  inputs: string[]
  desirable: string[]
  undesirable: string[]
  as: string
  zeros: 'replace' | 'exclude'
  zero_value: number
  super_infeasible: 'one' | 'missing'
}
