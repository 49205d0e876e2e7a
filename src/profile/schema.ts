/** The JSON Schema of quasi.profile.yaml, validated with ajv like the pipeline file. */
import type { JsonSchema } from '../stage.ts'

const noNewline = '^[^\\r\\n]*$'

export const resourcesSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    partition: { type: 'string', minLength: 1, pattern: noNewline, description: 'SLURM partition (`--partition`).' },
    account: { type: 'string', minLength: 1, pattern: noNewline, description: 'Account charged (`--account`).' },
    qos: { type: 'string', minLength: 1, pattern: noNewline, description: 'Quality of service (`--qos`).' },
    time: {
      type: 'string',
      pattern: '^(\\d+-)?\\d+(:\\d{1,2}){0,2}$',
      description: 'Time limit as SLURM writes it (`--time`): minutes, `HH:MM:SS` or `D-HH:MM:SS`.',
      examples: ['00:30:00', '1-00:00:00'],
    },
    memory: { type: 'string', pattern: '^\\d+[KMGT]?$', description: 'Memory per job (`--mem`): `4G`, `500M`, or megabytes.', examples: ['4G'] },
    cpus: { type: 'integer', minimum: 1, description: 'CPUs per task (`--cpus-per-task`).' },
    stages_per_task: { type: 'integer', minimum: 1, description: 'Stages of one kind run by one array task. Default 1.' },
    sbatch: { type: 'array', items: { type: 'string', pattern: '^--?[A-Za-z][^\\r\\n]*$' }, description: 'More `#SBATCH` options, as written (`--constraint=avx2`).' },
  },
}

/**
 * The profile file's schema. With `kindNames` (the editor's copy, schema/profile.schema.json)
 * `kinds:` accepts only those names; the loader goes without and names an unknown kind itself.
 */
export function profileFileSchemaFor(kindNames?: readonly string[]): JsonSchema {
  const kinds: JsonSchema = { type: 'object', additionalProperties: resourcesSchema, description: 'Resources by stage kind.' }
  if (kindNames) kinds.propertyNames = { enum: [...kindNames] }
  const profile: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      executor: { enum: ['local', 'slurm'], description: 'Where stages run. Default: local.' },
      jobs: { type: 'integer', minimum: 1, description: 'Jobs submitted and unfinished at most (slurm); stages at once (local).' },
      poll_seconds: { type: 'number', minimum: 0.1, description: 'Seconds between two polls of squeue/sacct. Default 2.' },
      defaults: resourcesSchema,
      kinds,
      stages: { type: 'object', additionalProperties: resourcesSchema, description: 'Resources by stage name or matrix template name.' },
    },
  }
  return {
    type: 'object',
    additionalProperties: false,
    required: ['profiles'],
    properties: {
      profiles: { type: 'object', additionalProperties: profile, description: 'Named profiles: `quasi run --profile NAME`.' },
    },
  }
}

export const profileFileSchema: JsonSchema = profileFileSchemaFor()
