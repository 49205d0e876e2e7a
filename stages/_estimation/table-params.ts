/** `with:` of the `table` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export interface TableParams {
  /** Stage names after planning: a matrix group arrives as the list of its instances. */
  columns?: string | string[]
  panels?: Record<string, string | string[]>
  keep?: string[]
  drop?: string[]
  labels?: Record<string, string>
  column_labels?: string[]
  rows?: Record<string, (string | number)[]>
  notes?: string[]
  digits?: number
  title?: string
  caption?: string
}

const stageName: JsonSchema = { type: 'string', minLength: 1 }

/** A selection of model stages: one name, or a list of names; a matrix group stands for its instances in order. */
export const selectionSchema = (description: string): JsonSchema => ({
  description,
  oneOf: [stageName, { type: 'array', items: stageName, minItems: 1 }],
  examples: ['het', ['baseline', 'patents', 'other_policies']],
})

export const termList = (description: string): JsonSchema => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
  description,
  examples: [['did']],
})

export const labelsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'Display names of terms and outcomes, over the labels the models carry from their stages, e.g. `{did: "Pilot × Post", gie: "GIE"}`.',
  examples: [{ did: 'Pilot × Post' }],
}

export const columnLabelsSchema = (what: string): JsonSchema => ({
  type: 'array',
  items: { type: 'string' },
  minItems: 1,
  description: what,
  examples: [['Full sample', 'East', 'Central', 'West']],
})

export const tableParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    columns: selectionSchema(
      'The columns: stages that produce models (did, event-study), matrix instances (`het[east]`) or matrix groups (`het`, its instances in order). ' +
        'Each stage contributes its main model (a stepwise did: its last column). Give `columns` or `panels`. ' +
        'Quote instance names inside `[…]`: `[baseline, "het[east]"]`.',
    ),
    panels: {
      type: 'object',
      minProperties: 1,
      additionalProperties: selectionSchema('The columns of this panel, as in `columns`.'),
      description:
        'Stacked panels under one set of column headers, as mechanism tables print them: `{"Panel A": [stages…], "Panel B": [stages…]}`, in the order written. ' +
        'Every panel has the same number of columns. Give `columns` or `panels`.',
      examples: [{ 'Panel A: R&D': ['rd_did', 'rd_did_controls'], 'Panel B: GIE': ['baseline_nc', 'baseline'] }],
    },
    keep: termList('Terms to show, in this order. Default: each column\'s focus term (the treatment), then every other term in order of appearance.'),
    drop: termList('Terms to leave out (after `keep`). Default: none.'),
    labels: labelsSchema,
    column_labels: columnLabelsSchema('Column headers, one per column. Default: (1), (2), …'),
    rows: {
      type: 'object',
      additionalProperties: { type: 'array', items: { type: ['string', 'number'] } },
      description:
        'Rows written under the estimates, one value per column, e.g. `{Controls: [Yes, Yes, No]}`. A row replaces the automatic row of the same label (the "<FE> FE" and "Controls" rows); others are added after them, in order. With `panels`, every panel gets the rows.',
      examples: [{ Controls: ['Yes', 'Yes', 'Yes'], 'City FE': ['Yes', 'Yes', 'Yes'] }],
    },
    notes: { type: 'array', items: { type: 'string' }, description: 'Notes printed after the automatic ones (variance convention, samples).', examples: [['Robustness tests of Table 2.']] },
    digits: { type: 'integer', minimum: 0, maximum: 8, description: 'Decimals of coefficients and standard errors. Default: the first column\'s stage\'s `digits`, else 3.' },
    title: { type: 'string', description: 'Table title. Default: none.', examples: ['Table 4. Robustness tests'] },
    caption: {
      type: 'string',
      description:
        'The line above the column headers. Default: "Dependent variable: <outcome>" when every column has the same outcome; when they differ there is no caption and each column\'s outcome is printed ' +
        'as a header line (with `panels`: after each panel\'s label, or as a header line when each column has one outcome in every panel).',
    },
  },
}
