/**
 * The pipeline schema, composed from the stage registry. Validation uses it in two steps
 * (the file's envelope, then each stage's `with:` against its kind) so messages stay
 * precise; `quasi schema` writes the combined form for editors.
 */
import type { JsonSchema, StageDef } from '../stage.ts'

export const STAGE_NAME = '^[A-Za-z_][A-Za-z0-9_-]*$'
export const PIPELINE_NAME = '^[a-z0-9][a-z0-9_-]*$'

/** The `save` option every frame-producing kind accepts; handled by the core, not the stage. */
export const saveParam: JsonSchema = {
  description:
    'Write this stage\'s frame to outputs/<pipeline>/<stage>/data.csv: `true` for all columns, or a list of columns. Default: false.',
  anyOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
  default: false,
}

/** A kind's `with:` schema as the user writes it (with `save` added where it applies). */
export function paramsSchema(def: StageDef): JsonSchema {
  if (!def.produces?.includes('frame')) return def.params
  // One object per kind, so ajv compiles each kind's schema once however many stages use it.
  let s = withSave.get(def)
  if (!s) {
    const props = (def.params.properties ?? {}) as Record<string, JsonSchema>
    s = { ...def.params, properties: { ...props, save: saveParam } }
    withSave.set(def, s)
  }
  return s
}
const withSave = new WeakMap<StageDef, JsonSchema>()

export const topLevelKeys = ['quasi', 'name', 'title', 'panel', 'seed', 'stages'] as const
export const stageKeys = ['uses', 'with', 'needs', 'expect', 'matrix', 'names'] as const

/** The file's envelope: top-level keys and each stage's keys, with `with:` left open. */
export function envelopeSchema(kinds: readonly string[]): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['quasi', 'name', 'stages'],
    properties: {
      quasi: { description: 'Version of the pipeline file format. Always 1.', const: 1 },
      name: {
        description: 'Short name of the pipeline; outputs go to outputs/<name>/. Lower case, digits, - and _.',
        type: 'string',
        pattern: PIPELINE_NAME,
      },
      title: { description: 'Title of the study, used in reports.', type: 'string' },
      panel: {
        description: 'The panel keys: which column is the cross-sectional unit and which the time period.',
        type: 'object',
        additionalProperties: false,
        required: ['unit', 'time'],
        properties: {
          unit: { description: 'Column naming the unit (e.g. `city`).', type: 'string', minLength: 1 },
          time: { description: 'Column holding the integer time period (e.g. `year`).', type: 'string', minLength: 1 },
        },
      },
      seed: {
        description: 'Seed from which every stage derives its own random stream. Default: 1.',
        type: 'integer',
        minimum: 0,
        maximum: 4294967295,
        default: 1,
      },
      stages: {
        description: 'The stages, by name. Each names its kind in `uses` and its parameters in `with`.',
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: STAGE_NAME },
        additionalProperties: stageEnvelope(kinds),
      },
    },
  }
}

function stageEnvelope(kinds: readonly string[]): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['uses'],
    properties: {
      uses: { description: 'The stage kind.', type: 'string', enum: [...kinds] },
      with: { description: 'Parameters of the stage kind.', type: 'object' },
      needs: {
        description: 'Stages that must run before this one although it reads nothing from them.',
        type: 'array',
        items: { type: 'string' },
        uniqueItems: true,
      },
      expect: {
        description: 'Conditions on the stage\'s results that must hold, e.g. "coef(did) > 0", or "approx(pretrend_p, 0.6903, 1e-4)" (|left − right| <= an absolute tolerance); a failure exits with code 3.',
        type: 'array',
        items: { type: 'string' },
      },
      matrix: {
        description:
          'Makes the stage a template expanded into one stage per value (or per combination of several keys), as GitHub Actions does: ' +
          '`${{ matrix.key }}` in `with:` and `expect:` takes each instance\'s value. `exclude:` drops combinations, `include:` adds values or combinations. ' +
          'Instances are named `stage[0]`, `stage[1]`, … (or by `names:`); a reference to the stage\'s own name means all its instances.',
        type: 'object',
        minProperties: 1,
        properties: {
          include: { description: 'Combinations to add, or values added to the combinations they match.', type: 'array', items: { type: 'object', minProperties: 1 } },
          exclude: { description: 'Combinations to leave out (every key given must match).', type: 'array', items: { type: 'object', minProperties: 1 } },
        },
        additionalProperties: { type: 'array', minItems: 1 },
        examples: [{ sample: ['region == "east"', 'region == "central"', 'region == "west"'] }],
      },
      names: {
        description: 'Names of the matrix instances: a list (one per instance, in order) or a template such as "${{ matrix.region }}". Default: 0, 1, 2, …',
        anyOf: [{ type: 'array', items: { type: 'string', minLength: 1 } }, { type: 'string', minLength: 1 }],
        examples: [['east', 'central', 'west'], '${{ matrix.region }}'],
      },
    },
  }
}

/** The combined schema for editors (yaml-language-server): envelope plus `with:` per kind. */
export function editorSchema(registry: readonly StageDef[]): JsonSchema {
  const kinds = registry.map((d) => d.kind).sort()
  const env = envelopeSchema(kinds)
  const definitions: Record<string, JsonSchema> = {}
  const byKind = [...registry].sort((a, b) => a.kind.localeCompare(b.kind))
  for (const def of byKind) definitions[def.kind] = { description: def.description, ...paramsSchema(def) }
  const stage = stageEnvelope(kinds)
  const withKinds = {
    ...stage,
    allOf: byKind.map((def) => ({
      if: { properties: { uses: { const: def.kind } }, required: ['uses'] },
      then: { properties: { with: { $ref: `#/definitions/${def.kind}` } } },
    })),
  }
  const props = env.properties as Record<string, JsonSchema>
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'quasi pipeline',
    ...env,
    properties: { ...props, stages: { ...props.stages, additionalProperties: withKinds } },
    definitions,
  }
}
