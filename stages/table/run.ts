/** The table stage's work, loaded on demand by stage.ts. */
import { QuasiError } from '../../src/errors.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { tableFiles } from '../_estimation/outputs.ts'
import { buildTable, type Section } from './build.ts'
import { columnLabels, selectColumns } from '../_estimation/table-columns.ts'
import { tableFacts } from './facts.ts'
import type { TableParams } from '../_estimation/table-params.ts'

export async function runTable(ctx: StageContext<TableParams>): Promise<StageResult> {
  const p = ctx.params
  const sections: Section[] = p.panels
    ? Object.entries(p.panels).map(([label, selection]) => ({ label, columns: selectColumns(ctx, selection, ['panels', label]) }))
    : [{ columns: selectColumns(ctx, p.columns!, ['columns']) }]
  const k = sections[0].columns.length
  for (const s of sections.slice(1)) {
    if (s.columns.length !== k) {
      throw new QuasiError('INVALID_VALUE', `panel \`${s.label}\` has ${s.columns.length} column${s.columns.length === 1 ? '' : 's'}, but \`${sections[0].label}\` has ${k}: every panel needs the same number of columns`, {
        param: ['panels', s.label!],
        expected: `${k} stages, one per column`,
        found: `${s.columns.length}`,
      })
    }
  }
  const built = buildTable(sections, {
    title: p.title, caption: p.caption, keep: p.keep, drop: p.drop, labels: p.labels,
    columnLabels: columnLabels(p.column_labels, k), rows: p.rows, notes: p.notes, digits: p.digits,
  })
  ctx.log.info(`${sections.length > 1 || p.panels ? `${sections.length} panel${sections.length === 1 ? '' : 's'} of ` : ''}${k} column${k === 1 ? '' : 's'}: ${sections.map((s) => s.columns.map((c) => c.stage).join(', ')).join(' / ')}`)
  return {
    files: tableFiles(built.table, built.models, built.names),
    facts: tableFacts(sections.map((s) => s.columns.map((c) => c.model)), p.panels !== undefined),
  }
}
