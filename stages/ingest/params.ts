import type { JsonSchema } from '../../src/stage.ts'

export interface IngestParams {
  file: string
  format: 'auto' | 'csv' | 'tsv' | 'xlsx' | 'dta' | 'parquet'
  sheet?: string | number
  range?: string
  header?: boolean | number
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
      description: 'Data file, relative to the pipeline file: CSV or TSV (UTF-8, with or without BOM), Excel .xlsx, Stata .dta (formats 117–119) or Parquet.',
      type: 'string',
      minLength: 1,
      examples: ['data/cluster_gie_panel.csv'],
    },
    format: {
      description: 'File format. Default: auto (from the extension: .csv/.txt, .tsv/.tab, .xlsx, .dta, .parquet).',
      enum: ['auto', 'csv', 'tsv', 'xlsx', 'dta', 'parquet'],
      default: 'auto',
    },
    delimiter: {
      description: 'Cell delimiter for CSV when it is not a comma (e.g. ";"). Default: sniffed from the header line.',
      type: 'string',
      minLength: 1,
      maxLength: 1,
    },
    sheet: {
      description: 'Excel only: the worksheet, by name or by 1-based position. Default: the first sheet.',
      anyOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 1 }],
      examples: ['panel', 2],
    },
    range: {
      description: 'Excel only: the cell range to read, e.g. "A3:H300" (or "A3:H" for all rows from 3). Default: the used range.',
      type: 'string',
      pattern: '^[A-Za-z]{1,3}[0-9]+:[A-Za-z]{1,3}[0-9]*$',
    },
    header: {
      description: 'Excel only: how many rows at the top of the range hold column names (joined with "_" when more than one); false for none (columns named A, B, …). Default: 1.',
      anyOf: [{ type: 'boolean' }, { type: 'integer', minimum: 0, maximum: 10 }],
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
