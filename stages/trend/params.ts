/** `with:` of the `trend` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'
import type { QuantileDefinition } from '../../src/expr/quantile.ts'
import { sampleProps } from '../_describe/params.ts'

export interface TrendParams {
  from: string
  column: string
  statistic: 'mean' | 'median'
  band?: 'sd' | 'iqr' | 'none'
  by?: string
  by_levels?: (string | number)[]
  overall: boolean
  overall_label: string
  time?: string
  period?: [number, number]
  sample?: string
  quantile: QuantileDefinition
  labels?: Record<string, string>
  title?: string
  y_title?: string
  x_title?: string
}

export const trendParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'column'],
  properties: {
    from: { ...sampleProps.from, description: 'Stage whose table holds the column (any stage with a table).' },
    column: { type: 'string', minLength: 1, description: 'The numeric column to follow over time, e.g. an efficiency score.', examples: ['gie'] },
    statistic: { enum: ['mean', 'median'], default: 'mean', description: 'The statistic per period (and group): `mean` or `median`. Default: `mean`.' },
    band: {
      enum: ['sd', 'iqr', 'none'],
      description: 'The shaded band: `sd` (the statistic ± one standard deviation of the period\'s values), `iqr` (the 25th to the 75th percentile) or `none`. Default: `sd` for the mean, `iqr` for the median.',
    },
    by: {
      ...sampleProps.by,
      description: (sampleProps.by.description as string).replace('Groups to compare', 'One line per group') + ' With `overall: true` the line over all rows is drawn too.',
    },
    by_levels: sampleProps.by_levels,
    overall: { type: 'boolean', default: true, description: 'Draw the line over all rows (first, in black). Default: true; without `by` it is the only line.' },
    overall_label: { type: 'string', minLength: 1, default: 'All', description: 'Legend name of the line over all rows. Default: "All".', examples: ['All cities'] },
    time: { type: 'string', minLength: 1, description: 'The numeric time column. Default: the pipeline\'s panel time.', examples: ['year'] },
    period: sampleProps.period,
    sample: sampleProps.sample,
    quantile: { ...sampleProps.quantile, description: 'Quantile definition of the median and the interquartile band: `r7` (R\'s type 7) or `stata` (Hyndman–Fan type 2). Default: `r7`.' },
    labels: { ...sampleProps.labels, description: 'Display names of the column, the time, the `by` column and text values of `by`, e.g. `{gie: "Green innovation efficiency", east: "Eastern cities"}`. Default: the labels of the `from` stage\'s models, else the names.' },
    title: { type: 'string', description: 'Figure title. Default: "<Mean|Median> <column label> by <time>[ and <by>]".', examples: ['Figure 3. Green innovation efficiency by region, 2007–2021'] },
    y_title: { type: 'string', description: 'Axis title. Default: "<Mean|Median> of <column label>".' },
    x_title: { type: 'string', description: 'Axis title. Default: the time column\'s label.' },
  },
}
