/**
 * ingest's `columns` hook: the file's header, with `types`, `select` and `rename` checked
 * against it, then selected and renamed as the run does.
 */
import { unknownColumns, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { IngestParams } from './params.ts'

export function knownColumns(p: IngestParams, ctx: ColumnContext): KnownColumns {
  const header = ctx.header('file')
  if (!header) return { errors: [] }
  const of = `\`${p.file}\``
  const types = unknownColumns(Object.keys(p.types ?? {}).map((name) => ({ name, param: ['types', name] })), header, of)
  const select = unknownColumns((p.select ?? []).map((name, i) => ({ name, param: ['select', i] })), header, of)
  // Which columns a misspelt `select` meant is a guess; downstream stages then check nothing.
  if (select.length > 0) return { errors: [...types, ...select] }
  const selected = p.select ?? header
  const rename = unknownColumns(Object.keys(p.rename ?? {}).map((name) => ({ name, param: ['rename', name] })), selected, of)
  if (rename.length > 0) return { errors: [...types, ...rename] }
  const names = selected.map((n) => p.rename?.[n] ?? n)
  // Two columns renamed to one name fail the run with their own message.
  return { columns: new Set(names).size === names.length ? names : undefined, errors: types }
}
