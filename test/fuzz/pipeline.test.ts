/**
 * Fuzz the pipeline loader (parse with positions, then plan, as `quasi validate` does):
 * every input ends in a plan or in coded user errors, within the time limit.
 */
import fc from 'fast-check'
import { describe } from 'vitest'
import { runs } from './check.ts'
import { fuzzFile } from './file.ts'
import type { Job } from './jobs.ts'
import { aliasYaml, anyValue, bundledPipelines, replaceScalar, deepYaml, DISPLAY, grammarPipeline, renderAliases, renderDeep, renderPipeline, repo, YAML_FRAGMENTS } from './pipelines.ts'
import { applyEdits, preview, textEdit, type TextEdit } from './text.ts'

const { property } = fuzzFile('test/fuzz/pipeline.test.ts', 'pipeline loader', { target: 'pipeline', text: 'quasi: 1', display: DISPLAY, root: repo })

const job = (text: string, display = DISPLAY): { target: string; job: Job }[] => [{ target: 'pipeline', job: { target: 'pipeline', text, display, root: repo } }]
const bundled = bundledPipelines()
// Each bundled file is planned where it lives, so its data paths resolve; the starter's data do not exist.
const display = (name: string) => (name === 'starter' ? 'pipelines/example.yaml' : name)

describe('fuzz: the pipeline loader', () => {
  property('pipelines built from the registry, in random YAML styles, with text edits', 20, {
    numRuns: runs(150, 10_000),
    arbitrary: grammarPipeline,
    jobs: (p) => job(renderPipeline(p)),
    show: (p) => preview(renderPipeline(p), 2000),
    save: (p) => renderPipeline(p),
  })

  const edited = fc.record({ base: fc.nat(bundled.length - 1), edits: fc.array(textEdit([...YAML_FRAGMENTS, '\n  ', '\n    x: 1']), { minLength: 1, maxLength: 6 }) })
  const text = (x: { base: number; edits: readonly TextEdit[] }) => applyEdits(bundled[x.base].text, x.edits)
  property('the bundled pipelines with text edits', 60, {
    numRuns: runs(40, 6_000),
    arbitrary: edited,
    jobs: (x) => job(text(x), display(bundled[x.base].name)),
    show: (x) => `${bundled[x.base].name} with edits ${JSON.stringify(x.edits)}`,
    save: text,
  })

  const replaced = fc.record({ base: fc.nat(bundled.length - 1), node: fc.nat(100_000), value: anyValue })
  const withValue = (x: { base: number; node: number; value: unknown }) => replaceScalar(bundled[x.base].text, x.node, x.value)
  property('the bundled pipelines with one value replaced', 60, {
    numRuns: runs(30, 6_000),
    arbitrary: replaced,
    jobs: (x) => job(withValue(x), display(bundled[x.base].name)),
    show: (x) => `${bundled[x.base].name} with scalar ${x.node} replaced by ${JSON.stringify(x.value)}`,
    save: withValue,
  })

  // As readPipelineFile reads a file: UTF-8 with replacement characters.
  const decode = (b: Uint8Array) => Buffer.from(b).toString('utf8')
  property('random bytes', 10, {
    numRuns: runs(100, 5_000),
    arbitrary: fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8')))),
    jobs: (b) => job(decode(b)),
    show: (b) => `bytes (base64) ${Buffer.from(b).toString('base64')}`,
    save: (b) => b,
  })

  property('deep nesting', 200, {
    numRuns: runs(12, 1_000),
    arbitrary: deepYaml,
    jobs: (d) => job(renderDeep(d)),
    show: (d) => `${JSON.stringify(d)}: ${preview(renderDeep(d), 300)}`,
    save: renderDeep,
  })

  property('anchors and aliases', 50, {
    numRuns: runs(40, 1_000),
    arbitrary: aliasYaml,
    jobs: (a) => job(renderAliases(a)),
    show: (a) => `${JSON.stringify(a)}: ${preview(renderAliases(a), 600)}`,
    save: renderAliases,
  })
})
