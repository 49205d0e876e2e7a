/** `with:` of the `regress` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'
import { regressionProps, type RegressionParams } from '../_estimation/params.ts'

export interface RegressParams extends RegressionParams {
  regressors?: string[]
  test?: string[] | Record<string, string | string[]>
  level?: number
}

const hypothesis = {
  description: 'A restriction such as `x1 = 0`, `x1 + x2 = 0`, `x1 = x2`, `2*x1 - x2 = 1`; several joined by `;` are tested jointly.',
  type: 'string',
  minLength: 1,
}

export const regressParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    ...regressionProps('regress'),
    regressors: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description:
        'Regressors (numeric columns), reported in this order. `a:b` is the product of a and b (an interaction); `a*b` adds a, b and a:b, ' +
        'as in R formulas. Required unless `model` is given.',
      examples: [['beertax'], ['did', 'did:resource_based']],
    },
    test: {
      description:
        'Linear hypotheses on the coefficients, each reported as a Wald F (on the model\'s t degrees of freedom: G − 1 when clustered) and χ² with p-values, ' +
        'in tests.csv and as facts `wald_F(<name>)`, `wald_p(<name>)`, `wald_chi2(<name>)`, `wald_p_chi2(<name>)`. A list (names h1, h2, …) or a map from a name to a ' +
        'hypothesis (a list of restrictions, or several joined by `;`, is one joint test).',
      oneOf: [
        { type: 'array', items: hypothesis, minItems: 1 },
        {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          additionalProperties: { oneOf: [hypothesis, { type: 'array', items: hypothesis, minItems: 1 }] },
        },
      ],
      examples: [['beertax = 0'], { equal: 'x1 = x2', joint: ['x1 = 0', 'x2 = 0'] }],
    },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'Confidence level of conf.low/conf.high in tidy.csv. Default: 0.95.' },
    title: { type: 'string', description: 'Table title. Default: "Regression estimates" (or the `model:` regress stage\'s title).' },
  },
}
