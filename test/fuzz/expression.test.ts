/**
 * Fuzz the expression language (parser, checker, evaluator) as derive/filter use it: every
 * input compiles and evaluates to a full column, or ends in coded user errors, in time.
 * test/unit/expr/fuzz.test.ts checks positions and the absence of code generation; this
 * file adds fast-check's shrinking, random frames and the time limit.
 */
import fc from 'fast-check'
import { describe } from 'vitest'
import { runs } from './check.ts'
import { charSoup, deep, fixedFrame, frames, tokenSoup, wellFormed } from './expressions.ts'
import { fuzzFile } from './file.ts'
import type { FrameSpec, Job } from './jobs.ts'
import { applyEdits, preview, textEdit } from './text.ts'

const { property } = fuzzFile('test/fuzz/expression.test.ts', 'expressions', { target: 'expression', text: 'gdp + 1', frame: fixedFrame, evaluate: true })

const job = (text: string, frame: FrameSpec = fixedFrame): { target: string; job: Job }[] => [{ target: 'expression', job: { target: 'expression', text, frame, evaluate: true } }]
const showFrame = (f: FrameSpec) => JSON.stringify(f, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? '-0' : v))

describe('fuzz: expressions', () => {
  property('random characters', 2, {
    numRuns: runs(1_000, 50_000),
    arbitrary: fc.oneof(charSoup, fc.string({ unit: 'binary', maxLength: 40 })),
    jobs: (s) => job(s),
    show: (s) => preview(s),
    save: (s) => s,
  })

  property('token sequences', 2, {
    numRuns: runs(1_000, 50_000),
    arbitrary: tokenSoup,
    jobs: (s) => job(s),
    show: (s) => preview(s),
    save: (s) => s,
  })

  property('well-formed expressions on random frames', 3, {
    numRuns: runs(600, 30_000),
    arbitrary: fc.record({ text: wellFormed, frame: fc.oneof(fc.constant(fixedFrame), frames) }),
    jobs: (x) => job(x.text, x.frame),
    show: (x) => `${preview(x.text)} on ${showFrame(x.frame)}`,
    save: (x) => `${x.text}\n${showFrame(x.frame)}\n`,
  })

  const edited = fc.record({ text: wellFormed, edits: fc.array(textEdit(['(', ')', ',', ';', ' by ', '"', '`', 'gdp', '1e999', 'lag(', '[', ']', 'not', 'in']), { minLength: 1, maxLength: 4 }) })
  property('well-formed expressions with text edits', 2, {
    numRuns: runs(500, 30_000),
    arbitrary: edited,
    jobs: (x) => job(applyEdits(x.text, x.edits)),
    show: (x) => preview(applyEdits(x.text, x.edits)),
    save: (x) => applyEdits(x.text, x.edits),
  })

  property('deep nesting and long chains', 100, {
    numRuns: runs(15, 500),
    arbitrary: deep,
    jobs: (s) => job(s),
    show: (s) => preview(s, 200),
    save: (s) => s,
  })
})
