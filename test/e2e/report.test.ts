/**
 * `quasi report` and `quasi run --report`: the page's escaping and byte-stability without a
 * browser, what run.json records for it, and the page itself in headless Chromium (every
 * table and figure present and visible, no console errors, a screenshot in test/output/).
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { main } from '../../src/cli/main.ts'
import { escapeHtml } from '../../src/report/escape-html.ts'
import { inlineSvg, renderReport, tableParts, type ReportData, type ReportStage } from '../../src/report/report-page.ts'

async function quasi(args: string[], cwd: string) {
  let out = ''
  let err = ''
  const code = await main(args, { cwd, out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { CI: 'true' } })
  return { code, out, err }
}

const HOSTILE = `<script>alert("x")</script> & 'q' \u202e evil`

function stage(over: Partial<ReportStage> & { name: string }): ReportStage {
  return { kind: 'did', status: 'ran', needs: [], key: 'k'.repeat(64), ms: 1234, tables: [], figures: [], warnings: [], expectations: [], ...over }
}

function data(over: Partial<ReportData> = {}): ReportData {
  return {
    name: 'study',
    title: `Title ${HOSTILE}`,
    file: `pipelines/${HOSTILE}.yaml`,
    digest: 'd'.repeat(64),
    quasiVersion: '0.1.0',
    nodeVersion: 'v20.0.0',
    seed: 7,
    inputs: [{ stage: 'panel', param: 'file', file: `data/${HOSTILE}.csv`, size: 12, sha256: 'e'.repeat(64) }],
    stages: [
      stage({ name: 'panel', kind: 'ingest', warnings: [`column ${HOSTILE} has 3 missing values`] }),
      stage({
        name: 'baseline',
        needs: ['panel'],
        tables: [{ file: 'table.html', html: '<!DOCTYPE html><html><head><style>\n  body { margin: 2em; }\n  table.t { border-top: 1px solid #000; }\n</style></head><body>\n<table class="t"><tr><td>1</td></tr></table>\n</body></html>\n' }],
        figures: [{ file: 'plot.svg', svg: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c1"><rect/></clipPath></defs><g clip-path="url(#c1)"/></svg>\n' }],
        expectations: [
          { expression: `p(did) < 0.05 ${HOSTILE}`, result: 'held', left: 0.0000366, right: 0.05 },
          { expression: 'approx(b, 1, 0.01)', result: 'failed', left: 1.234567891, right: 1, tol: 0.01 },
        ],
      }),
    ],
    ...over,
  }
}

describe('the report page, without a browser', () => {
  test('escapeHtml turns markup into entities and shows bidi controls as escapes', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;')
    expect(escapeHtml('a\u202eb\u0007c\nd')).toBe('a\\u{202e}b\\x07c\nd')
  })

  test("users' text never becomes markup, and the page loads nothing", () => {
    const html = renderReport(data())
    expect(html).not.toContain('<script')
    expect(html).not.toContain('\u202e')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; \\u{202e} evil')
    // title, file, input, warning and expectation each appear escaped
    expect(html.split('&lt;script&gt;').length - 1).toBeGreaterThanOrEqual(6)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/)
    expect(html).not.toMatch(/(src|href)="https?:/)
  })

  test('tables are inlined with their style (less the body rule), figures without prolog and with prefixed ids', () => {
    const html = renderReport(data())
    expect(html).toContain('<div class="table" data-file="table.html"><table class="t"><tr><td>1</td></tr></table></div>')
    expect(html).toContain('table.t { border-top: 1px solid #000; }')
    expect(html).not.toContain('body { margin: 2em; }')
    expect(html).not.toContain('<?xml')
    expect(inlineSvg('<svg><clipPath id="c1"/><g clip-path="url(#c1)"/><use href="#c1"/></svg>', 'a[b]-0')).toBe(
      '<svg><clipPath id="a_b_-0-c1"/><g clip-path="url(#a_b_-0-c1)"/><use href="#a_b_-0-c1"/></svg>',
    )
    expect(tableParts('<p>fragment</p>')).toEqual({ body: '<p>fragment</p>', style: undefined })
  })

  test('expectations show both sides and the result', () => {
    const html = renderReport(data())
    expect(html).toContain('<tr class="held"><td><code>p(did) &lt; 0.05')
    expect(html).toContain('<td>0.0000366</td><td>0.05</td><td>held</td>')
    expect(html).toContain('<tr class="failed"><td><code>approx(b, 1, 0.01)</code></td><td>1.23457</td><td>1 ± 0.01</td><td>failed</td></tr>')
    expect(html).toContain('1 of 2 expectations held')
  })

  test('the same run gives the same bytes; timings and cache hits change only the last section', () => {
    const a = renderReport(data())
    expect(renderReport(data())).toBe(a)
    const cachedRun = data({ stages: data().stages.map((s) => ({ ...s, status: 'cached' as const, ms: 0 })) })
    const b = renderReport(cachedRun)
    expect(b).not.toBe(a)
    const cut = (s: string) => s.slice(0, s.indexOf('<section id="timings">'))
    expect(cut(a).length).toBeGreaterThan(1000)
    expect(cut(b)).toBe(cut(a))
    expect(a).toContain('<td>baseline</td><td>computed</td><td class="r">1.23 s</td>')
    expect(b).toContain('<td>baseline</td><td>cache</td><td class="r">—</td>')
  })

  test('a failed stage is said so and drawn red in the graph; a skipped one dashed', () => {
    const d = data({ stages: [stage({ name: 'panel', status: 'failed', error: 'BAD_DATA', ms: undefined }), stage({ name: 'baseline', needs: ['panel'], status: 'skipped', reason: 'upstream-failed' })] })
    const html = renderReport(d)
    expect(html).toContain('This stage failed (BAD_DATA)')
    expect(html).toContain('This stage did not run (a stage it needs failed)')
    expect(html).toContain('<g class="failed"><title>panel (did)</title>')
    expect(html).toContain('<g class="skipped"><title>baseline (did)</title>')
    expect(html).toContain('1 stage failed, 1 skipped')
  })
})

// One starter project shared by the end-to-end tests below (run once, ~seconds).
const dir = mkdtempSync(join(tmpdir(), 'quasi-report-'))
let first: { code: number; out: string; err: string } | undefined
async function ranOnce() {
  if (!first) {
    expect((await quasi(['init'], dir)).code).toBe(0)
    first = await quasi(['run', 'pipelines/example.yaml', '--report'], dir)
  }
  return first
}
const reportPath = join(dir, 'outputs/example/report.html')

describe('quasi report on a real run', () => {
  test('without a run there is nothing to report: exit 2 and how to get one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'quasi-report-none-'))
    await quasi(['init'], empty)
    const r = await quasi(['report', 'pipelines/example.yaml'], empty)
    expect(r.code).toBe(2)
    expect(r.err).toContain('MISSING_FILE')
    expect(r.err).toContain('no run to report on: `outputs/example/run.json` does not exist')
    expect(r.err).toContain('quasi run <file> --report')
    rmSync(empty, { recursive: true, force: true })
  })

  test('run --report writes the page; run.json holds expectations, needs, inputs and the Node version', async () => {
    const r = await ranOnce()
    expect(r.code).toBe(0)
    expect(r.out).toContain('report: outputs/example/report.html')
    const run = JSON.parse(readFileSync(join(dir, 'outputs/example/run.json'), 'utf8'))
    expect(run.tool.node).toBe(process.version)
    const withExp = run.stages.filter((s: { expectations?: unknown[] }) => s.expectations)
    expect(withExp.length).toBeGreaterThan(0)
    for (const s of withExp) {
      for (const e of s.expectations) {
        expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(['expression', 'left', 'result', 'right']))
        expect(e.result).toBe('held')
        expect(typeof e.left).toBe('number')
      }
    }
    expect(run.stages.find((s: { stage: string }) => s.stage === 'panel').expectations[0]).toEqual({ expression: 'rows == 400', result: 'held', left: 400, right: 400 })
    expect(run.stages.every((s: { needs?: unknown }) => Array.isArray(s.needs))).toBe(true)
    expect(run.inputs).toHaveLength(1)
    const bytes = readFileSync(join(dir, 'pipelines', run.inputs[0].file))
    expect(run.inputs[0]).toMatchObject({ stage: 'panel', size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') })
    const html = readFileSync(reportPath, 'utf8')
    expect(html).toContain(run.inputs[0].sha256)
    expect(html).toContain(run.pipeline.digest)
  })

  test('quasi report rebuilds it from the files alone; a cached rerun changes only the timings', async () => {
    await ranOnce()
    const before = readFileSync(reportPath, 'utf8')
    const r = await quasi(['report', 'pipelines/example.yaml'], dir)
    expect(r.code).toBe(0)
    expect(readFileSync(reportPath, 'utf8')).toBe(before)
    const again = await quasi(['run', 'pipelines/example.yaml', '--report'], dir)
    expect(again.code).toBe(0)
    const after = readFileSync(reportPath, 'utf8')
    const cut = (s: string) => s.slice(0, s.indexOf('<section id="timings">'))
    expect(cut(after)).toBe(cut(before))
    expect(after).toContain('<td>cache</td>')
  })

  test('with --reporter json the report line goes to stderr, so stdout stays JSON lines', async () => {
    await ranOnce()
    const r = await quasi(['run', 'pipelines/example.yaml', '--report', '--reporter', 'json'], dir)
    expect(r.code).toBe(0)
    const lines = r.out.trim().split('\n')
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow()
    expect(JSON.parse(lines.at(-1)!).type).toBe('run:done')
    expect(r.err).toBe('report: outputs/example/report.html\n')
  })

  test('a run whose expectation fails still writes its report, with both sides shown', async () => {
    const d = mkdtempSync(join(tmpdir(), 'quasi-report-fail-'))
    try {
      await quasi(['init'], d)
      const file = join(d, 'pipelines/example.yaml')
      writeFileSync(file, readFileSync(file, 'utf8').replace('"rows == 400"', '"rows == 401"'))
      const r = await quasi(['run', 'pipelines/example.yaml', '--only', 'panel', '--report'], d)
      expect(r.code).toBe(3)
      const html = readFileSync(join(d, 'outputs/example/report.html'), 'utf8')
      expect(html).toContain('<tr class="failed"><td><code>rows == 401</code></td><td>400</td><td>401</td><td>failed</td></tr>')
      expect(html).toContain('1 of 2 expectations held')
      const run = JSON.parse(readFileSync(join(d, 'outputs/example/run.json'), 'utf8'))
      expect(run.stages[0].expectations[0]).toEqual({ expression: 'rows == 401', result: 'failed', left: 400, right: 401 })
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  })

  test('after --only, stages outside it show their earlier files, marked as such', async () => {
    await ranOnce()
    try {
      const r = await quasi(['run', 'pipelines/example.yaml', '--only', 'panel', '--report'], dir)
      expect(r.code).toBe(0)
      const html = readFileSync(reportPath, 'utf8')
      const section = html.slice(html.indexOf('<section class="stage" id="stage-baseline">'))
      expect(section).toMatch(/^<section class="stage" id="stage-baseline">\n<h2>baseline <span class="kind">did<\/span><\/h2>\n<p class="outcome">Not selected in the last run: its files are from an earlier run.<\/p>\n<div class="table" data-file="table.html"><table class="regression">/)
      expect(html).toContain('<td>baseline</td><td>not-selected</td>')
    } finally {
      expect((await quasi(['run', 'pipelines/example.yaml', '--report'], dir)).code).toBe(0)
    }
  })

  test('a pipeline file edited since the run gets a warning', async () => {
    await ranOnce()
    const file = join(dir, 'pipelines/example.yaml')
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text + '\n# edited\n')
    try {
      const r = await quasi(['report', 'pipelines/example.yaml'], dir)
      expect(r.code).toBe(0)
      expect(r.err).toContain('warning: pipelines/example.yaml changed since the last run; the report shows that run')
    } finally {
      writeFileSync(file, text)
    }
  })
})

const CHROMIUM = '/usr/bin/chromium'
const hasBrowser = existsSync(CHROMIUM)
if (!hasBrowser) console.warn(`report.test.ts: browser test skipped: no Chromium at ${CHROMIUM} (.ci/run installs Debian's \`chromium\` when it can)`)

describe('the report in headless Chromium', () => {
  test.skipIf(!hasBrowser)('every table and figure is present and visible, with no console errors; screenshot in test/output/', async () => {
    await ranOnce()
    const run = JSON.parse(readFileSync(join(dir, 'outputs/example/run.json'), 'utf8'))
    const files: string[] = run.stages.flatMap((s: { files?: string[] }) => s.files ?? [])
    const nTables = files.filter((f) => f.endsWith('.html')).length
    const nFigures = files.filter((f) => f.endsWith('.svg')).length
    expect(nTables).toBeGreaterThan(0)
    expect(nFigures).toBeGreaterThan(0)

    const { chromium } = await import('playwright-core')
    const profile = mkdtempSync(join(tmpdir(), 'quasi-chromium-'))
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      const page = await ctx.newPage()
      const problems: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text())
      })
      page.on('pageerror', (e) => problems.push(e.message))
      // Anything but the page itself would be a load from outside.
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`request ${r.url()}`)
      })
      await page.goto('file://' + reportPath)
      expect(await page.title()).toBe('A starter study')
      const tables = page.locator('section.stage div.table table')
      const figures = page.locator('section.stage figure svg')
      expect(await tables.count()).toBe(nTables)
      expect(await figures.count()).toBe(nFigures)
      for (const l of [...(await tables.all()), ...(await figures.all()), page.locator('figure.dag svg'), page.locator('#provenance')]) {
        await l.scrollIntoViewIfNeeded()
        expect(await l.isVisible()).toBe(true)
        const box = await l.boundingBox()
        expect(box!.width).toBeGreaterThan(50)
        expect(box!.height).toBeGreaterThan(20)
      }
      // The graph has a box per stage.
      expect(await page.locator('figure.dag svg g.nodes > g').count()).toBe(run.stages.length)
      expect(problems).toEqual([])
      const out = resolve('test/output')
      mkdirSync(out, { recursive: true })
      await page.screenshot({ path: join(out, 'report.png'), fullPage: true })
      await page.emulateMedia({ media: 'print' })
      expect(await page.locator('nav').isVisible()).toBe(false)
      console.log(`report screenshot: ${join(out, 'report.png')}`)
    } finally {
      await ctx.close()
      rmSync(profile, { recursive: true, force: true })
    }
  })
})
