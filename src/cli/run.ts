/** `quasi run <file>`: run the pipeline (or show what would run, with --dry-run). */
import { availableParallelism } from 'node:os'
import { describeReason } from '../cache/stale.ts'
import { escapeControls } from '../escape.ts'
import type { Renderer } from '../scheduler/events.ts'
import { predict } from '../scheduler/predict.ts'
import { jsonRenderer } from '../scheduler/renderers/json.ts'
import { junitRenderer } from '../scheduler/renderers/junit.ts'
import { writeFileAtomic } from '../cache/atomic.ts'
import { join, resolve } from 'node:path'
import { loadProfile, localProfile } from '../profile/load.ts'
import { SlurmExecutor } from '../scheduler/slurm/executor.ts'
import { plainRenderer } from '../scheduler/renderers/plain.ts'
import { runPipeline } from '../scheduler/run.ts'
import { QuasiError, asQuasiErrors } from '../errors.ts'
import { VERSION } from '../version.ts'
import { common, intOption, parse } from './args.ts'
import { loadPlan, project, registry, type Io } from './context.ts'
import { printErrors } from './print.ts'
import { writeReport } from './report.ts'
import { cacheDir, cacheOption } from './cache-dir.ts'

export const runHelp = `Usage: quasi run <pipeline.yaml> [options]

Runs the pipeline's stages in dependency order, taking unchanged stages from the cache.

Options:
  --only S        run only stage S and what it needs (repeatable)
  --from S        run stage S, everything downstream of it, and what they need (repeatable)
  --force [S]     recompute S (or, without a name, every selected stage) even if cached
  --jobs N        stages run at once (default: the number of cores)
  --threads N     threads all running stages compute on together; a stage that uses several
                  (measure-gie) leases them from this budget (default: the number of cores)
  --keep-going    after a failure, go on with stages that do not depend on it
  --dry-run       show what would run, and why, without running anything
  --report        at the end, write outputs/<pipeline>/report.html (see \`quasi report\`)
  --reporter R    auto | tty | plain | json | junit (default auto: tty on a terminal, plain
                  otherwise or when CI=true); junit writes JUnit XML to stdout when the run ends
  --junit FILE    also write the JUnit XML report to FILE (one test case per stage and per expectation)
  --cache DIR     keep the cache in DIR, a folder several projects or machines may share
                  (default: .quasi/cache; environment variable QUASI_CACHE)
  --wait SECONDS  if another run of this pipeline holds the lock, wait this long for it
  --break-lock    take the pipeline's lock from its holder: only when you know that run is over
                  (a holder on another host of a shared filesystem is never judged gone by quasi)
  --profile NAME  use profile NAME of quasi.profile.yaml in the project folder: the executor
                  and the resources (partition, account, time, memory, cpus) of each stage
  --executor E    local | slurm: where stages compute (default: the profile's, else local);
                  slurm submits each ready stage, or a job array of many, with sbatch
  --root DIR      project folder (default: the nearest folder holding .quasi/, package.json
                  or .git, from the pipeline file's folder up)
  --allow-outside allow data paths outside the project folder`

/** `arm` installs the interrupt handlers (see main.ts); it is called after planning, before the lock. */
export async function runCommand(argv: string[], io: Io, signal: AbortSignal, arm?: () => void): Promise<number> {
  // In JSON mode every run ends with one terminal event, even when it never starts (a bad
  // option, an invalid file): run:done from the scheduler, or run:failed from here.
  let renderer: Renderer | undefined = wantsJson(argv) ? await pickRenderer('json', io) : undefined
  try {
    const { values, positionals } = parse('run', splitForce(argv), {
      ...common,
      only: { type: 'string', multiple: true },
      from: { type: 'string', multiple: true },
      force: { type: 'string', multiple: true },
      'force-all': { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      threads: { type: 'string' },
      'keep-going': { type: 'boolean', short: 'k' },
      'dry-run': { type: 'boolean', short: 'n' },
      reporter: { type: 'string' },
      wait: { type: 'string' },
      report: { type: 'boolean' },
      junit: { type: 'string' },
      'break-lock': { type: 'boolean' },
      profile: { type: 'string' },
      executor: { type: 'string' },
      ...cacheOption,
    }, { min: 1, max: 1, names: 'one pipeline file' })
    if (values.help) {
      io.out(runHelp + '\n')
      return 0
    }
    // Numbers first: a mistyped --jobs should not wait for a large file to be planned.
    const jobs = intOption('jobs', values.jobs, 1)
    const threads = intOption('threads', values.threads, 1) ?? availableParallelism()
    const waitS = intOption('wait', values.wait, 0) ?? 0
    if (values.executor !== undefined && values.executor !== 'local' && values.executor !== 'slurm') {
      throw new QuasiError('USAGE', `Expected \`--executor\` to be one of local, slurm, got \`${values.executor}\``)
    }
    renderer ??= await pickRenderer(values.reporter, io)
    if (values.junit !== undefined) renderer = withJunitFile(renderer, resolve(io.cwd, values.junit))
    const p = project(io, values.root, positionals[0])
    const plan = await loadPlan(io, positionals[0], p, values['allow-outside'] ?? false)
    const force = values['force-all'] ? true : values.force
    const sel = { only: values.only, from: values.from, force }

    if (values['dry-run']) {
      const preds = await predict(plan, { ...sel, quasiDir: p.quasiDir, cacheDir: cacheDir(io, values.cache) })
      const width = Math.max(0, ...preds.map((x) => x.stage.length))
      for (const x of preds) {
        io.out(escapeControls(`${x.stage.padEnd(width)}  ${x.fresh ? 'cached' : `would run: ${x.reasons.map(describeReason).join('; ')}`}`) + '\n')
      }
      const n = preds.filter((x) => !x.fresh).length
      io.out(`${n} of ${preds.length} stage${preds.length === 1 ? '' : 's'} would run\n`)
      return 0
    }

    const profile = values.profile === undefined ? localProfile : await loadProfile({ root: p.root, cwd: io.cwd, name: values.profile, kinds: registry.map((k) => k.kind) })
    const executorName = (values.executor as 'local' | 'slurm' | undefined) ?? profile.executor
    const store = cacheDir(io, values.cache) ?? join(p.quasiDir, 'cache')
    const shown = renderer
    const executor =
      executorName === 'slurm'
        ? new SlurmExecutor({
            profile: jobs === undefined ? profile : { ...profile, jobs },
            dir: join(p.quasiDir, 'slurm', plan.name),
            pipeline: plan.src.abs,
            root: p.root,
            allowOutside: values['allow-outside'] ?? false,
            cacheDir: store,
            toolVersion: VERSION,
            warn: (message) => shown.onEvent({ type: 'warning', message }),
          })
        : undefined
    arm?.()
    const result = await runPipeline(plan, {
      ...sel,
      quasiDir: p.quasiDir,
      cacheDir: store,
      outputsDir: p.outputsDir,
      // --jobs, else the profile's (the slurm executor bounds its jobs itself, above)
      jobs: jobs ?? profile.jobs ?? availableParallelism(),
      threads,
      executor,
      breakLock: values['break-lock'],
      keepGoing: values['keep-going'],
      signal,
      emit: (e) => shown.onEvent(e),
      toolVersion: VERSION,
      lockWaitMs: waitS * 1000,
    })
    renderer = undefined // run:done is out: nothing more to say
    await shown.close()
    printErrors(result.errors, io)
    // A run that failed or missed an expectation still gets its report: that is when it is read.
    if (values.report && result.exitStatus !== 130) await writeReport(plan, p.outputsDir, io, values.reporter === 'json' ? io.err : io.out)
    return result.exitStatus
  } catch (e) {
    if (renderer) {
      const errors = asQuasiErrors(e)
      renderer.onEvent({ type: 'run:failed', exit: Math.max(...errors.map((x) => x.exitStatus)), file: pipelineArg(argv) ?? '', errors })
      await renderer.close()
    }
    throw e
  }
}

/** `--reporter json` or `--reporter=json`, read before the options are parsed (parsing may fail). */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--reporter=json' || (a === '--reporter' && argv[i + 1] === 'json'))
}

/** The pipeline file as given, for a run:failed whose error has no position. */
function pipelineArg(argv: readonly string[]): string | undefined {
  return argv.find((a) => /\.ya?ml$/i.test(a) && !a.startsWith('-'))
}

/** `--force` takes an optional stage name: `--force` alone means every stage. */
function splitForce(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--force') {
      const next = argv[i + 1]
      if (next !== undefined && !next.startsWith('-') && !/\.ya?ml$/i.test(next)) {
        out.push(`--force=${next}`)
        i++
      } else out.push('--force-all')
    } else out.push(a)
  }
  return out
}

async function pickRenderer(kind: string | undefined, io: Io): Promise<Renderer> {
  const write = (line: string) => io.out(line + '\n')
  // listr2 loads only for a terminal.
  const tty = async () => (await import('../scheduler/renderers/tty.ts')).ttyRenderer(write)
  const chosen = kind ?? 'auto'
  switch (chosen) {
    case 'json':
      return jsonRenderer(write)
    case 'plain':
      return plainRenderer(write)
    case 'tty':
      return tty()
    case 'junit':
      return junitRenderer((xml) => io.out(xml))
    case 'auto':
      return io.isTTY && !io.env.CI ? tty() : plainRenderer(write)
    default:
      throw new QuasiError('USAGE', `Expected \`--reporter\` to be one of auto, tty, plain, json, got \`${kind}\``)
  }
}

/** The chosen renderer, plus the JUnit report written to `file` when the run ends. */
function withJunitFile(shown: Renderer, file: string): Renderer {
  const junit = junitRenderer((xml) => writeFileAtomic(file, xml))
  return {
    onEvent(e) {
      shown.onEvent(e)
      junit.onEvent(e)
    },
    async close() {
      await shown.close()
      await junit.close()
    },
  }
}
