/** The describe stage's work, loaded on demand by stage.ts. */
import type { Column, Frame } from '../../src/artifacts/frame.ts'
import { unknownColumn } from '../../src/columns/names.ts'
import { gridFiles } from '../../src/report/grid.ts'
import { count } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import type { SummaryStatistic } from '../../src/stats/describe/summary.ts'
import type { VifResult } from '../../src/stats/describe/vif.ts'
import { clusteredTest, correlationMatrix, describeVariable, vifOf, welchTest, type Described, type Variable } from '../_describe/compute.ts'
import { correlationTable, table1 } from './layout.ts'
import { correlationsCsv, describeCsv, describeFacts, differencesCsv, vifCsv } from '../_describe/outputs.ts'
import { DEFAULT_BY_STATISTICS, DEFAULT_STATISTICS, type DescribeParams } from '../_describe/params.ts'
import { groupsOf, numericColumn, restrict, sourceOf, type Grouping } from '../_describe/sample.ts'
import { listedVariables, vifVariables } from '../_describe/variables.ts'

export const DEFAULT_TITLE = 'Descriptive statistics'

export async function runDescribe(ctx: StageContext<DescribeParams>): Promise<StageResult> {
  const p = ctx.params
  const source = sourceOf(ctx)
  const { frame, notes: kept } = restrict(ctx, source.frame)
  const variables: Variable[] = listedVariables(p).map((v) => ({
    name: v.name,
    ...(v.role !== undefined ? { role: v.role } : {}),
    label: source.labels[v.name] ?? v.name,
    data: numericColumn(frame, v.name, v.param, source.stage),
  }))
  const grouping = p.by ? groupsOf(ctx, frame, source.labels) : undefined
  const cluster = grouping ? clusterColumn(ctx, frame) : undefined

  const rows: Described[] = variables.map((v) => {
    const d = describeVariable(v, p.quantile, grouping)
    if (!grouping) return d
    const { difference, welch } = welchTest(d.groups!)
    if (!cluster) return { ...d, comparison: { difference, welch } }
    const c = clusteredTest(v.data, grouping, cluster.column)
    if ('why' in c) ctx.log.warn(`${v.name}: no clustered test (${c.why})`)
    return { ...d, comparison: { difference, welch, ...('why' in c ? {} : { clustered: c }) } }
  })

  const statistics = p.statistics ?? (grouping ? DEFAULT_BY_STATISTICS : DEFAULT_STATISTICS)
  const title = p.title ?? DEFAULT_TITLE
  const files: Record<string, string> = {
    ...gridFiles('table', table1(rows, {
      title, statistics, digits: p.digits, levels: grouping?.levels, clustered: cluster !== undefined,
      notes: [...tableNotes(p, statistics, kept, grouping, cluster, rows), ...(p.notes ?? [])],
    })),
    'describe.csv': describeCsv(rows, grouping?.levels),
  }
  if (grouping) files['differences.csv'] = differencesCsv(rows, grouping.levels.length)

  let matrix, vif: VifResult | undefined
  if (p.correlation) {
    matrix = correlationMatrix(variables)
    const vv = vifVariables(p)
    vif = vv.length ? vifOf(vv.map((name) => variables.find((v) => v.name === name)!)) : undefined
    if (!vif) ctx.log.info('no VIF column: name the variables with `vif:` (or a group whose name contains "control")')
    Object.assign(files, gridFiles('correlation', correlationTable(matrix, vif, { title: `${title}: correlations`, digits: p.digits, notes: correlationNotes(matrix, vif, vv) })))
    files['correlations.csv'] = correlationsCsv(matrix)
    if (vif) files['vif.csv'] = vifCsv(vif)
  }

  ctx.log.info(`${variables.length} variable${variables.length === 1 ? '' : 's'} on ${frame.nrows} of ${source.frame.nrows} rows` +
    (grouping ? `, ${grouping.levels.length} groups (${grouping.levels.map((l) => l.label).join(', ')})${cluster ? `, tests clustered by ${cluster.name}` : ''}` : '') +
    (vif ? `; VIF max ${Math.max(...vif.vifs.map((x) => x.vif)).toFixed(2)}` : ''))
  return { files, facts: describeFacts(rows, frame.nrows, grouping?.levels, matrix, vif) }
}

/** The cluster column: `cluster`, else the panel unit when the table has it. */
function clusterColumn(ctx: StageContext<DescribeParams>, frame: Frame): { name: string; column: Column } | undefined {
  const name = ctx.params.cluster ?? ctx.panel?.unit
  if (name === undefined) return undefined
  const column = frame.column(name)
  if (column) return { name, column }
  if (ctx.params.cluster !== undefined) {
    throw unknownColumn(name, frame.names, `stage \`${ctx.params.from}\``, ['cluster'])
  }
  ctx.log.info(`the table has no panel unit column \`${name}\`: only Welch's test`)
  return undefined
}

const QUANTILE_WORDS = { r7: "R's type 7 definition", stata: "Stata's definition (`_pctile`, Hyndman–Fan type 2)" } as const

function tableNotes(p: DescribeParams, statistics: readonly SummaryStatistic[], kept: readonly string[], g: Grouping | undefined, cluster: { name: string } | undefined, rows: readonly Described[]): string[] {
  const notes: string[] = []
  const parts = [statistics.includes('n') && 'N: non-missing values', statistics.includes('sd') && 'SD: standard deviation (divisor n − 1)'].filter(Boolean)
  if (statistics.some((s) => s === 'p25' || s === 'median' || s === 'p75')) parts.push(`quartiles by ${QUANTILE_WORDS[p.quantile].replace(/`/g, '')}`)
  if (parts.length) notes.push(`${parts.join('; ')}.`)
  if (kept.length) notes.push(`Sample: ${kept.join('; ')}.`)
  if (!g) return notes
  if (g.missing) notes.push(`${count(g.missing)} row${g.missing === 1 ? '' : 's'} where the grouping is missing ${g.missing === 1 ? 'is' : 'are'} in no group.`)
  const k = g.levels.length
  if (k === 2) {
    notes.push(`Difference = ${g.levels[1].label} − ${g.levels[0].label}. t (Welch): Welch's two-sample t test (unequal variances, Welch–Satterthwaite df).`)
    if (cluster) {
      const G = rows.find((d) => d.comparison?.clustered)?.comparison?.clustered?.clusters
      notes.push(`t (clustered): OLS of the variable on a dummy for ${g.levels[1].label}, standard errors clustered by ${cluster.name} (CR1; t with G − 1${G ? ` = ${G - 1}` : ''} df), since observations of one ${cluster.name} are not independent.`)
    } else notes.push('No cluster variable: the observations are treated as independent.')
  } else {
    notes.push(`F (Welch): Welch's test that the ${k} group means are equal (unequal variances).`)
    if (cluster) notes.push(`F (clustered): Wald test that the ${k} group means are equal, from an OLS of the variable on group dummies with standard errors clustered by ${cluster.name} (CR1; F(${k - 1}, G − 1)).`)
    else notes.push('No cluster variable: the observations are treated as independent.')
  }
  notes.push('Stars: each test\'s own p-value.')
  return notes
}

function correlationNotes(m: { cells: readonly { n: number }[] }, vif: VifResult | undefined, vv: readonly string[]): string[] {
  const ns = m.cells.map((c) => c.n)
  const lo = Math.min(...ns), hi = Math.max(...ns)
  const notes = [`Pearson correlations on the rows where both variables are present (N = ${lo === hi ? count(lo) : `${count(lo)}–${count(hi)}`}); stars from two-sided t tests of r = 0 with N − 2 df.`]
  if (vif) notes.push(`VIF: variance inflation factor 1/(1 − R²) of each of ${vv.join(', ')} regressed on the others, on the ${count(vif.n)} rows where all are present.`)
  return notes
}
