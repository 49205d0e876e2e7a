/**
 * One fuzz property: fast-check draws inputs, each runs in the sandbox under a time limit,
 * and the invariant is checked on what came back (sandbox.ts `classify`). Seeded and
 * replayable; sizes and seeds come from the environment:
 *
 *   QUASI_FUZZ=long            the long sizes (`npm run fuzz`); default: the short ones (`npm test`)
 *   QUASI_FUZZ_RUNS=n          n inputs per property, whatever the mode
 *   QUASI_FUZZ_SEED=n|random   the seed (default 20250901, so `npm test` is reproducible)
 *   QUASI_FUZZ_PATH=p          with the seed, replay one counterexample (fast-check's path)
 *   QUASI_FUZZ_TIMEOUT_MS=n    time limit of one case (default 10000: the largest inputs, a
 *                              20,000-deep nesting, parse in about a second; the margin is for
 *                              a machine shared with other work)
 *   QUASI_FUZZ_SURVEY=1        do not stop at the first failure: run every input, then fail
 *                              listing each distinct failure once, with its input saved
 *                              under $TMPDIR/quasi-fuzz-found/
 *
 * On failure the message gives the seed, the counterexample path and the command that
 * replays it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import type { Job } from './jobs.ts'
import { BAD, type CaseResult, type Sandbox, type Verdict } from './sandbox.ts'

const env = process.env
export const LONG = env.QUASI_FUZZ === 'long'
export const TIMEOUT_MS = Number(env.QUASI_FUZZ_TIMEOUT_MS ?? 10_000)
const SURVEY = env.QUASI_FUZZ_SURVEY === '1'
const SEED = env.QUASI_FUZZ_SEED === 'random' ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(env.QUASI_FUZZ_SEED ?? 20250901)
const PATH = env.QUASI_FUZZ_PATH
/** Shrinking stops after this long (a hang costs a whole time limit per attempt). */
const SHRINK_BUDGET_MS = Number(env.QUASI_FUZZ_SHRINK_MS ?? (LONG ? 120_000 : 20_000))

/** Inputs per property: the short size in `npm test`, the long one in `npm run fuzz`. */
export function runs(short: number, long: number): number {
  if (env.QUASI_FUZZ_RUNS) return Number(env.QUASI_FUZZ_RUNS)
  return LONG ? long : short
}

/** vitest's time limit for a property of `n` inputs at about `msPerCase` each, with room for a few hangs. */
export function testTimeout(n: number, msPerCase: number): number {
  return 120_000 + n * msPerCase * 4 + 10 * TIMEOUT_MS
}

/** Counts per target and verdict, for the summary printed after each file. */
export class Tally {
  readonly counts = new Map<string, Record<Verdict, number>>()
  readonly found: string[] = []

  /** Counts every case run, shrinking attempts included. */
  add(target: string, r: CaseResult): void {
    let c = this.counts.get(target)
    if (!c) this.counts.set(target, (c = { value: 0, 'user-error': 0, internal: 0, uncoded: 0, hang: 0, crash: 0 }))
    c[r.verdict]++
  }

  summary(): string {
    const lines = [...this.counts].map(([t, c]) => {
      const n = Object.values(c).reduce((a, b) => a + b, 0)
      return `  ${t.padEnd(10)} ${String(n).padStart(6)} inputs: ${c.value} values, ${c['user-error']} user errors, ${c.internal} INTERNAL, ${c.uncoded} uncoded, ${c.hang} hangs, ${c.crash} crashes`
    })
    return lines.join('\n')
  }
}

export interface PropertySpec<T> {
  /** The test's name, as given to vitest (the replay command filters on it). */
  readonly name: string
  /** The test file, for the replay command. */
  readonly file: string
  readonly arbitrary: fc.Arbitrary<T>
  /** The cases to run for one input (a reader and the header reader, say), each with its target name. */
  readonly jobs: (input: T) => readonly { readonly target: string; readonly job: Job }[]
  readonly numRuns: number
  /** The input as a reproducer (a recipe of mutations, not the bytes). Default: fast-check's stringify. */
  readonly show?: (input: T) => string
  /** The input's bytes or text, saved beside a survey finding. */
  readonly save?: (input: T) => Uint8Array | string | undefined
  /** Inputs tried first on every run: counterexamples that long runs found, so that `npm test` keeps checking them. */
  readonly examples?: readonly T[]
}

/** Run the property; throws (failing the vitest test) with a replayable report when the invariant breaks. */
export async function checkProperty<T>(sandbox: Sandbox, tally: Tally, spec: PropertySpec<T>): Promise<void> {
  const show = spec.show ?? ((x: T) => fc.stringify(x))
  const findings = new Map<string, { input: T; result: CaseResult; target: string; count: number }>()
  let firstFailureAt: number | undefined

  const property = fc.asyncProperty(spec.arbitrary, async (input) => {
    if (firstFailureAt !== undefined && performance.now() - firstFailureAt > SHRINK_BUDGET_MS) fc.pre(false)
    for (const { target, job } of spec.jobs(input)) {
      const r = await sandbox.run(job)
      tally.add(target, r)
      if (!BAD.includes(r.verdict)) continue
      if (SURVEY) {
        const sig = `${target} ${r.verdict} ${signature(r.detail)}`
        const f = findings.get(sig)
        if (!f) findings.set(sig, { input, result: r, target, count: 1 })
        else {
          f.count++
          if (show(input).length < show(f.input).length) Object.assign(f, { input, result: r })
        }
        continue
      }
      firstFailureAt ??= performance.now()
      throw new Error(`${target}: ${r.verdict}: ${r.detail}${r.stack ? `\n${r.stack.split('\n').slice(1).join('\n')}` : ''}`)
    }
  })

  const details = await fc.check(property, {
    seed: SEED,
    numRuns: spec.numRuns,
    examples: (spec.examples ?? []).map((x) => [x] as [T]),
    ...(PATH ? { path: PATH, endOnFailure: true } : {}),
    // Past the shrink budget every attempt is skipped (fc.pre above), which ends the shrinking.
    maxSkipsPerRun: 1000,
  })

  if (details.failed && details.counterexample) {
    const input = details.counterexample[0]
    const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
    throw new Error(
      [
        `fuzz property "${spec.name}" broke the invariant (a value or a coded user error, within ${TIMEOUT_MS} ms)`,
        `  input: ${show(input)}`,
        `  ${err}`,
        `  seed ${details.seed}, counterexample path "${details.counterexamplePath}", after ${details.numRuns} inputs and ${details.numShrinks} shrinks`,
        `  replay: QUASI_FUZZ_SEED=${details.seed} QUASI_FUZZ_PATH='${details.counterexamplePath}' npx vitest run ${spec.file} -t '${escapeRegExp(spec.name)}'`,
      ].join('\n'),
    )
  }
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `fuzz property "${spec.name}" failed (seed ${details.seed})`)

  if (findings.size > 0) {
    const dir = join(tmpdir(), 'quasi-fuzz-found')
    mkdirSync(dir, { recursive: true })
    const lines = [`fuzz property "${spec.name}" (seed ${details.seed}, ${spec.numRuns} inputs): ${findings.size} distinct failure(s)`]
    let i = 0
    for (const [sig, f] of findings) {
      const data = spec.save?.(f.input)
      const saved = data === undefined ? undefined : join(dir, `${spec.name.replace(/[^A-Za-z0-9]+/g, '-')}-${++i}.bin`)
      if (saved) writeFileSync(saved, data!)
      lines.push(`- ${sig} (${f.count}×)\n    input: ${show(f.input)}${saved ? `\n    saved: ${saved}` : ''}\n    ${f.result.detail}${f.result.stack ? `\n    ${f.result.stack.split('\n').slice(1, 6).join('\n    ')}` : ''}`)
    }
    throw new Error(lines.join('\n'))
  }
}

/** A failure's message with its numbers, quoted parts and a trailing name blanked, so one defect counts once. */
function signature(detail: string): string {
  return detail
    .replace(/`[^`]*`|"[^"]*"|'[^']*'/g, '…')
    .replace(/: \S*$/, ': …')
    .replace(/\d+/g, 'N')
    .slice(0, 160)
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'\\''")
}
