/** `with:` of the `coefplot` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'
import { columnLabelsSchema, labelsSchema, selectionSchema } from '../_estimation/table-params.ts'

export interface CoefplotParams {
  /** Stage names after planning: a matrix group arrives as the list of its instances. */
  columns: string | string[]
  term?: string
  level: number
  labels?: Record<string, string>
  column_labels?: string[]
  title?: string
  x_title?: string
}

export const coefplotParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['columns'],
  properties: {
    columns: selectionSchema(
      'The models to draw, one row each from top to bottom: stages that produce models, matrix instances (`het[east]`) or matrix groups (`het`, its instances in order). Each stage contributes its main model. Quote instance names inside `[…]`: `["het[east]", "het[west]"]`.',
    ),
    term: {
      type: 'string',
      minLength: 1,
      description: 'The term to draw. Default: the models\' focus term (the treatment, e.g. `did`) when they share one.',
      examples: ['did'],
    },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'Confidence level: estimate ± t(1 − α/2, df)·se with each model\'s t degrees of freedom (G − 1 when clustered). Default: 0.95.' },
    labels: labelsSchema,
    column_labels: columnLabelsSchema('Row labels, one per model. Default: the instance names when every model is an instance of one matrix stage (`het[east]` → east), else the stage names.'),
    title: { type: 'string', description: 'Figure title. Default: none.', examples: ['Figure 3. Heterogeneity: the pilot effect by region'] },
    x_title: { type: 'string', description: 'Axis title. Default: "Coefficient on <term> (<level> % CI)".' },
  },
}
