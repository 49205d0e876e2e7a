/** Parameters of `derive` (the `with:` block). */
import type { JsonSchema } from '../../src/stage.ts'

export interface DeriveParams {
  /** Stage whose table gets the new columns. */
  from: string
  /** New columns in order, name → expression; later expressions may use earlier names. */
  columns: Record<string, string | number>
}

export const deriveParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'columns'],
  properties: {
    from: {
      type: 'string',
      description: 'Stage whose table the new columns are added to.',
      examples: ['filled'],
    },
    columns: {
      type: 'object',
      minProperties: 1,
      description:
        'New columns, evaluated in the order written: `name: expression`. A later expression may use an earlier new column; ' +
        'a name that already exists is replaced. Functions: log, exp, sqrt, abs, pow, if, is_missing, lag, lead, diff, ' +
        'adopted, event_time, mean/sum/min/max/sd/count/median (… by keys), standardize, rank, winsor, entropy. ' +
        'See docs/methods.md.',
      // Not a bare whole number: JavaScript objects list such keys first, which would lose the YAML order.
      propertyNames: { minLength: 1, pattern: '^(?![0-9]+$)[^`]+$' },
      additionalProperties: {
        type: ['string', 'number'],
        description: 'An expression, e.g. `gdp / area`, `diff(log(gdp))`, `mean(gdp) by province, year`.',
      },
      examples: [{ eco: 'gdp / area', growth: 'diff(log(gdp))', pollution_index: 'entropy(so2, wastewater, dust)' }],
    },
  },
}
