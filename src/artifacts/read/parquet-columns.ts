/**
 * Which columns of a Parquet file are read, from its metadata alone. Kept apart from
 * parquet.ts so that checking a pipeline's column names loads hyparquet's metadata decoder
 * only, not its page decoders.
 */
import { parquetMetadata, parquetSchema } from 'hyparquet/src/metadata.js'
import type { FileMetaData, SchemaElement } from 'hyparquet'

export interface Leaf {
  name: string
  element: SchemaElement
}

/** Top-level primitive columns; nested ones are skipped with a note. */
export function flatColumns(metadata: FileMetaData, notes: string[]): Leaf[] {
  const leaves: Leaf[] = []
  const skipped: string[] = []
  for (const child of parquetSchema(metadata).children) {
    const e = child.element
    if (child.children.length > 0 || e.repetition_type === 'REPEATED') skipped.push(`${e.name} (${nestedKind(e, child.children.length > 0)})`)
    else leaves.push({ name: e.name, element: e })
  }
  if (skipped.length > 0) notes.push(`nested column(s) skipped, since a list, struct or map has no single value per row: ${skipped.join(', ')}`)
  return leaves
}

function nestedKind(e: SchemaElement, group: boolean): string {
  const t = String(e.logical_type?.type ?? e.converted_type ?? '')
  if (t === 'LIST' || (!group && e.repetition_type === 'REPEATED')) return 'list'
  if (t === 'MAP' || t === 'MAP_KEY_VALUE') return 'map'
  return e.repetition_type === 'REPEATED' ? 'repeated group' : 'struct'
}

/**
 * The names of the columns `readParquet` reads, from the footer alone: `footer` may be just
 * the file's last bytes (metadata, its 4-byte length, `PAR1`).
 */
export function readParquetNames(footer: Uint8Array): string[] {
  return flatColumns(parquetMetadata(footer), []).map((l) => l.name)
}
