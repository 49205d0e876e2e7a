/**
 * Every file in test/e2e/bad/ through the CLI entry point: the exit status, the position
 * and code of each error, and the exact stderr (file snapshots beside the YAML files).
 */
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { main } from '../../src/cli/main.ts'
import { stageKinds } from '../../stages/index.ts'

const here = fileURLToPath(new URL('.', import.meta.url))

/** [file, command, exit status, "line:col", error code, a phrase the message must contain] */
const cases: [string, 'validate' | 'run', number, string, string, string][] = [
  ['yaml-syntax', 'validate', 2, '7:32', 'YAML_SYNTAX', 'is not closed with `}`'],
  ['duplicate-key', 'validate', 2, '8:3', 'DUPLICATE_KEY', 'duplicate key `panel`'],
  ['bad-stage-name', 'validate', 2, '8:3', 'INVALID_VALUE', 'invalid stage name "panel 2": a stage name starts with a letter'],
  ['custom-tag', 'validate', 2, '7:19', 'YAML_TAG', 'Unresolved tag: !env'],
  ['alias-bomb', 'validate', 2, '5:9', 'YAML_ALIASES', 'expand to more than 100 values'],
  ['unknown-top-level-key', 'validate', 2, '4:1', 'UNKNOWN_KEY', 'unknown key `stage`; did you mean `stages`?'],
  ['unknown-kind', 'validate', 2, '6:11', 'UNKNOWN_KIND', 'did you mean `ingest`?'],
  ['unknown-param', 'validate', 2, '9:7', 'UNKNOWN_PARAM', 'unknown parameter `selct`; did you mean `select`?'],
  ['wrong-type', 'validate', 2, '4:7', 'WRONG_TYPE', 'Expected `seed` to be an integer, got `twenty` (string)'],
  ['missing-param', 'validate', 2, '7:5', 'MISSING_PARAM', 'missing required parameter `file`'],
  ['missing-stage', 'validate', 2, '11:13', 'MISSING_STAGE', 'did you mean `panel`?'],
  ['self-reference', 'validate', 2, '8:13', 'SELF_REFERENCE', 'names itself'],
  ['cycle', 'validate', 2, '8:12', 'CYCLE', 'cycle: a → b → c → a'],
  ['missing-file', 'validate', 2, '7:19', 'MISSING_FILE', 'did you mean `data/panel.csv`?'],
  ['path-outside', 'validate', 2, '7:19', 'PATH_OUTSIDE_PROJECT', 'is outside the project folder'],
  ['bad-expectation', 'validate', 2, '8:21', 'BAD_EXPECTATION', 'cannot read expectation'],
  ['bad-tolerance', 'validate', 2, '8:32', 'BAD_EXPECTATION', 'the tolerance of approx must be a number >= 0, got `-0.5`'],
  ['wrong-format-version', 'validate', 2, '2:8', 'INVALID_VALUE', 'Expected `quasi` to be `1`'],
  ['several-errors', 'validate', 2, '9:11', 'UNKNOWN_KIND', '3 errors'],
  ['duplicate-panel-key', 'run', 2, '8:19', 'DUPLICATE_PANEL_KEY', 'rows 3 and 5 (city a, year 2020)'],
  ['non-numeric-cell', 'run', 2, '10:19', 'BAD_DATA', 'row 3, column "y": `n/a` is not a number'],
  ['empty-data', 'run', 2, '8:19', 'EMPTY_DATA', 'data/header-only.csv has no rows (only the header: `city`, `year`, `y`)'],
  ['unknown-fact', 'validate', 2, '9:16', 'BAD_EXPECTATION', 'did you mean `rows`?'],
  ['mediation-bootstrap-zero', 'validate', 2, '10:57', 'INVALID_VALUE', '`bootstrap` must be >= 1, got `0`'],
  ['mediation-mediator-missing', 'validate', 2, '10:45', 'MISSING_COLUMN', 'mediator `zreo` is not a column'],
  ['model-wrong-kind', 'validate', 2, '9:20', 'INVALID_VALUE', '`model` refers to stage `panel` (ingest), which produces no fitted model'],
  ['matrix-unknown-key', 'validate', 2, '11:76', 'INVALID_VALUE', '`matrix.smaple` is not a key of this stage\'s matrix; did you mean `matrix.sample`?'],
  ['bad-expression', 'run', 2, '15:18', 'MISSING_COLUMN', 'column eco, 1:5: unknown column "gpd"'],
  ['bad-filter', 'validate', 2, '11:57', 'BAD_EXPRESSION', 'where, 1:24: expected ")" to close the parenthesis'],
  ['corrupt-xlsx', 'run', 2, '7:19', 'BAD_DATA', 'the Excel workbook cannot be read'],
  ['sheet-zero', 'validate', 2, '7:45', 'INVALID_VALUE', 'Expected `sheet` to be a sheet name or a position of at least 1, got `0`'],
  ['undeclared-bad-cell', 'run', 2, '9:13', 'BAD_DATA', 'row 3, column "y": `n/a` is not a number (the column is read as numbers: 2 of its cells are numbers)'],
  ['corrupt-dta', 'run', 2, '7:19', 'BAD_DATA', 'the Stata file cannot be read'],
  ['merge-duplicates', 'run', 2, '10:60', 'BAD_DATA', '`right` (stage `attrs`) has 1 duplicated key: "a" (rows 1, 3)'],
  ['coupling-constant', 'run', 2, '13:16', 'BAD_DATA', 'subsystem `still`: every indicator is constant (`flat1`, `flat2`)'],
  ['coupling-ratio-negative', 'run', 2, '14:54', 'BAD_DATA', 'ratio normalisation of a negative indicator needs positive values (min/x)'],
  ['coupling-alpha', 'validate', 2, '14:14', 'INVALID_VALUE', 'the weights in `alpha` sum to 1.1, not 1'],
  ['coupling-unknown-indicator', 'validate', 2, '12:19', 'MISSING_COLUMN', 'unknown column `gpd`; did you mean `gdp`?'],
  ['did-missing-outcome', 'run', 2, '9:35', 'MISSING_COLUMN', 'unknown column `yy`; did you mean `y`?'],
  ['did-no-variation', 'run', 1, '9:49', 'NO_VARIATION', 'treatment `zero` has no variation'],
  ['bacon-unbalanced', 'run', 2, '12:20', 'UNBALANCED_PANEL', 'the panel is unbalanced: 15 rows for 4 units × 4 periods (unit `d` has no row for period 2018)'],
  ['did-one-cluster', 'run', 2, '9:65', 'INVALID_SPEC', 'cluster variable `country` has 1 level'],
  ['did-rank-deficient', 'run', 1, '9:49', 'SINGULAR_DESIGN', 'collinear with the fixed effects: `always`'],
  ['table-no-model', 'validate', 2, '12:33', 'INVALID_VALUE', '`columns` refers to stage `panel` (ingest), which produces no fitted model'],
  ['heterogeneity-draws-zero', 'validate', 2, '10:84', 'INVALID_VALUE', 'Expected `draws` to be an integer >= 1 when `test` includes `permutation`'],
  ['heterogeneity-no-variation', 'run', 1, '10:43', 'NO_VARIATION', 'group `early`: treatment `treat` does not vary'],
  ['policy-mix-identical-timing', 'run', 2, '9:82', 'INVALID_SPEC', 'the interaction of `a` and `same` is not identified: the two policies have identical timing'],
  ['policy-mix-never-adopted', 'run', 2, '9:82', 'INVALID_VALUE', 'policy `none` is never adopted in the estimation sample: `none_year` is missing or 0 in every row'],
  ['policy-mix-one-policy', 'validate', 2, '9:63', 'INVALID_VALUE', 'Expected `policies` to have at least 2 entries, got 1'],
  ['policy-mix-unknown-column', 'validate', 2, '9:91', 'MISSING_COLUMN', 'unknown column `b_yaer`; did you mean `b_year`?'],
  ['failed-expectation', 'run', 3, '', '', ''],
  // Column names, checked from the files' headers without running anything.
  ['column-did-control', 'validate', 2, '16:23', 'MISSING_COLUMN', 'unknown column `fni`; did you mean `fin`?'],
  ['column-derive', 'validate', 2, '13:26', 'MISSING_COLUMN', 'column growth, 1:10: unknown column "ratoi" — did you mean "ratio"?'],
  ['column-filter', 'validate', 2, '9:51', 'MISSING_COLUMN', 'where, 1:18: unknown column "yy" — did you mean "y"?'],
  ['column-impute', 'validate', 2, '9:55', 'MISSING_COLUMN', 'unknown column `xs`; did you mean `x`?'],
  ['column-merge-key', 'validate', 2, '10:51', 'MISSING_COLUMN', 'unknown column `year`'],
]

async function quasi(args: string[], cwd: string) {
  let out = ''
  let err = ''
  const code = await main(args, { cwd, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  return { code, out, err }
}

describe('bad pipeline files', () => {
  test('every file in bad/ has a case', () => {
    const files = readdirSync(join(here, 'bad')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''))
    expect(files.sort()).toEqual(cases.map((c) => c[0]).sort())
  })

  for (const [name, cmd, exit, at, code, phrase] of cases) {
    test(`${name}: exit ${exit}${code ? `, ${code} at ${at}` : ''}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'quasi-bad-'))
      cpSync(join(here, 'bad'), dir, { recursive: true })
      writeFileSync(join(dir, 'package.json'), '{}\n') // the project folder, whatever lies above it
      const r = await quasi([cmd, `${name}.yaml`], dir)
      expect(r.code).toBe(exit)
      if (code) {
        expect(r.err).toContain(`${name}.yaml:${at}  error ${code}`)
        expect(r.err).toContain(phrase)
        expect(r.err).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/) // no stack trace for a user error
      } else {
        expect(r.out).toContain('expect rows > 100: FAILED (4 vs 100)')
        expect(r.out).toContain('expect approx(rows, 4.000001, 1e-7): FAILED (4 vs 4.000001, |difference| 0.000001 > tolerance 1e-7)')
        expect(r.out).toContain('expect approx(rows, 4.00001, 1e-4): holds')
      }
      // The list of known kinds grows with every new stage kind: it is checked against the
      // registry here and kept out of the snapshots, which then change only when a message does.
      const kinds = `expected: one of ${stageKinds.map((k) => k.kind).sort().map((k) => `\`${k}\``).join(', ')}`
      // Matched from the alphabetically first kind, whichever it is.
      const first = kinds.slice(0, kinds.indexOf(','))
      const stderr = r.err.split(dir).join('<root>').replace(new RegExp(`${first}[^\\n]*`, 'g'), (line) => {
        expect(line).toBe(kinds)
        return 'expected: one of <the stage kinds>'
      }).replace(/expected: a stage of a kind that produces one: [^\n]*/g, (line) => {
        // The same for the kinds that produce a fitted model.
        const producers = stageKinds.filter((k) => k.produces?.includes('model')).map((k) => k.kind).sort().join(', ')
        expect(line).toBe(`expected: a stage of a kind that produces one: ${producers}`)
        return 'expected: a stage of a kind that produces one: <the kinds that do>'
      })
      await expect(stderr).toMatchFileSnapshot(join(here, 'bad', `${name}.stderr`))
    })
  }
})
