import type { JsonSchema } from '../../src/stage.ts'

export interface IngestParams {
  file: string
  format: 'auto' | 'csv' | 'tsv'
  delimiter?: string
  types?: Record<string, 'number' | 'integer' | 'string'>
  na: string[]
  select?: string[]
  rename?: Record<string, string>
  panel: 'auto' | boolean
}

export const ingestParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['file'],
  properties: {
    file: {
      description: 'Data file, relative to the pipeline file (CSV or TSV, UTF-8 with or without BOM).',
      type: 'string',
      minLength: 1,
      examples: ['data/cluster_gie_panel.csv'],
    },
    format: {
      description: 'File format. Default: auto (from the file extension: .csv, .tsv/.tab/.txt).',
      enum: ['auto', 'csv', 'tsv'],
      default: 'auto',
    },
    delimiter: {
      description: 'Cell delimiter for CSV when it is not a comma (e.g. ";"). Default: sniffed from the header line.',
      type: 'string',
      minLength: 1,
      maxLength: 1,
    },
    types: {
      description: 'Declared column types; other columns are numeric when every non-missing cell is a number, else text.',
      type: 'object',
      additionalProperties: { enum: ['number', 'integer', 'string'] },
      examples: [{ city: 'string', year: 'integer' }],
    },
    na: {
      description: 'Cell texts read as missing. Default: "", "NA", "NaN", ".".',
      type: 'array',
      items: { type: 'string' },
      default: ['', 'NA', 'NaN', '.'],
    },
    select: {
      description: 'Keep only these columns, in this order. Default: all.',
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      uniqueItems: true,
    },
    rename: {
      description: 'Rename columns: { old_name: new_name }. Applied after `select`.',
      type: 'object',
      additionalProperties: { type: 'string', minLength: 1 },
    },
    panel: {
      description:
        'Check the panel keys (the pipeline\'s `panel: {unit, time}`): no missing keys, integer time, no duplicate unit-time rows. Default: auto (check when both columns are present).',
      anyOf: [{ enum: ['auto'] }, { type: 'boolean' }],
      default: 'auto',
    },
  },
}
