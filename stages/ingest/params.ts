import type { JsonSchema } from '../../src/stage.ts'
import { ENCODINGS, type Encoding } from '../../src/artifacts/encoding.ts'

export interface IngestParams {
  file: string
  format: 'auto' | 'csv' | 'tsv' | 'xlsx' | 'xls' | 'dta' | 'parquet'
  sheet?: string | number
  range?: string
  header?: boolean | number
  delimiter?: string
  encoding: Encoding
  decimal: '.' | ','
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
      description:
        'Data file, relative to the pipeline file: CSV or TSV (UTF-8 by default; see `encoding`), Excel .xlsx or .xls, Stata .dta (formats 104–119) or Parquet.',
      type: 'string',
      minLength: 1,
      examples: ['data/cluster_gie_panel.csv'],
    },
    format: {
      description: 'File format. Default: auto (from the extension: .csv/.txt, .tsv/.tab, .xlsx/.xlsm, .xls, .dta, .parquet).',
      enum: ['auto', 'csv', 'tsv', 'xlsx', 'xls', 'dta', 'parquet'],
      default: 'auto',
    },
    delimiter: {
      description: 'Cell delimiter for CSV when it is not a comma (e.g. ";"). Default: sniffed from the header line.',
      type: 'string',
      minLength: 1,
      maxLength: 1,
    },
    encoding: {
      description:
        'CSV/TSV only: the text encoding of the file. "latin1" is read as Windows-1252 (its superset); "utf-16" goes by the byte order mark (little-endian without one). A file that is not valid in its encoding is an error naming the encoding it most likely has. Default: utf-8 (a UTF-8 byte order mark is allowed).',
      enum: [...ENCODINGS],
      default: 'utf-8',
    },
    decimal: {
      description:
        'Decimal mark of numbers written as text: "." or "," ("12,5"). With "," the cell delimiter cannot be a comma (it is then guessed among ";", tab and "|"). Default: ".".',
      enum: ['.', ','],
      default: '.',
    },
    sheet: {
      // Integers below 1 pass the schema and are refused by the stage's check, which can say why.
      description: 'Excel only: the worksheet, by name or by position from 1 (chart sheets count in the position but cannot be read). Default: the first worksheet.',
      type: ['string', 'integer'],
      examples: ['panel', 2],
    },
    range: {
      description: 'Excel only: the cell range to read, e.g. "A3:H300" (or "A3:H" for all rows from 3). Default: the used range.',
      type: 'string',
      pattern: '^[A-Za-z]{1,3}[0-9]+:[A-Za-z]{1,3}[0-9]*$',
    },
    header: {
      description: 'Excel only: how many rows at the top of the range hold column names (joined with "_" when more than one); false for none (columns named A, B, …). Default: 1.',
      type: ['boolean', 'integer'],
    },
    types: {
      description:
        'Declared column types; they override inference. An undeclared column is numeric when every non-missing cell is a number, text when fewer than half are, and an error naming the offending cells when at least half are numbers but not all.',
      type: 'object',
      additionalProperties: { enum: ['number', 'integer', 'string'] },
      examples: [{ city: 'string', year: 'integer' }],
    },
    na: {
      description:
        'Cell texts read as missing, compared with the cell after trimming its leading and trailing spaces (so "NA " and a cell of spaces are missing too). Numbers stored as numbers (Excel, Stata, Parquet) are never compared. Default: "", "NA", "NaN", ".".',
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
