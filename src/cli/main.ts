/**
 * The `quasi` command. Every user error ends here as a formatted block on stderr and its
 * exit status (2 for invalid input); only INTERNAL errors show a stack.
 */
import { asQuasiErrors } from '../errors.ts'
import { VERSION } from '../version.ts'
import { cleanCommand } from './clean.ts'
import type { Io } from './context.ts'
import { dagCommand } from './dag.ts'
import { diffCommand } from './diff.ts'
import { packageCommand } from './package.ts'
import { initCommand } from './init.ts'
import { SIGPIPE_STATUS, processOutput } from './output.ts'
import { printErrors } from './print.ts'
import { reportCommand } from './report.ts'
import { runCommand } from './run.ts'
import { schemaCommand } from './schema.ts'
import { statusCommand } from './status.ts'
import { taskCommand } from './task.ts'
import { validateCommand } from './validate.ts'
import { suggest } from '../suggest.ts'
import { injectFaults } from '../cache/fault-inject.ts'
import { QuasiError } from '../errors.ts'

const USAGE = `quasi ${VERSION}: replication pipelines for quasi-experimental policy evaluation

Usage: quasi <command> [options]

Commands:
  run <file>       run a pipeline (cached stages are not recomputed)
  validate <file>  check a pipeline file without running it
  status <file>    list each stage as fresh or stale, with the reasons
  dag <file>       show the stage graph (--format text|mermaid|dot)
  report <file>    write outputs/<pipeline>/report.html from the last run
  clean            remove unused cache entries (--cache, --outputs for more)
  schema           write schema/pipeline.schema.json for editors
  init [dir]       write a starter pipeline
  diff <A> <B>     compare two runs' outputs cell by cell (exit 4 when they differ)
  package <file>   write a replication package of the last run (--out DIR | --zip FILE)

Exit codes: 0 success, 1 a stage failed, 2 invalid pipeline or usage, 3 an expectation did not hold,
4 a folder quasi writes is not writable or the disk is full, 130 interrupted.
Run \`quasi <command> --help\` for a command's options.`

const commands = ['run', 'validate', 'status', 'dag', 'report', 'clean', 'schema', 'init', 'diff', 'package'] as const

export async function main(argv: string[], io: Partial<Io> = {}, signal?: AbortSignal): Promise<number> {
  // Ctrl-C, the caller's signal, and a reader that went away all stop a run the same way.
  const stop = new AbortController()
  signal?.addEventListener('abort', () => stop.abort(signal.reason), { once: true })
  if (signal?.aborted) stop.abort(signal.reason)
  const pipes = io.out && io.err ? undefined : processOutput(() => stop.abort(new QuasiError('CANCELLED', 'the output was closed')))
  const full: Io = {
    out: io.out ?? pipes!.out,
    err: io.err ?? pipes!.err,
    cwd: io.cwd ?? process.cwd(),
    isTTY: io.isTTY ?? Boolean(process.stdout.isTTY),
    env: io.env ?? process.env,
  }
  const [command, ...rest] = argv
  const ctrlC = signal ? undefined : interruptSignal(full, stop)
  try {
    injectFaults(full.env.QUASI_FAULT_INJECT)
    const status = await dispatch(command, rest, full, stop.signal, ctrlC?.arm)
    return pipes?.closed ? SIGPIPE_STATUS : status
  } catch (e) {
    if (pipes?.closed) return SIGPIPE_STATUS
    const errors = asQuasiErrors(e)
    printErrors(errors, full)
    return errors.reduce<number>((s, x) => Math.max(s, x.exitStatus), 0)
  } finally {
    ctrlC?.dispose()
  }
}

async function dispatch(command: string | undefined, rest: string[], full: Io, signal: AbortSignal, arm?: () => void): Promise<number> {
  switch (command) {
    case 'run':
      return await runCommand(rest, full, signal, arm)
    case 'validate':
      return await validateCommand(rest, full)
    case 'status':
      return await statusCommand(rest, full)
    case 'dag':
      return await dagCommand(rest, full)
    case 'report':
      return await reportCommand(rest, full)
    case 'clean':
      return await cleanCommand(rest, full)
    case 'schema':
      return await schemaCommand(rest, full)
    case 'init':
      return await initCommand(rest, full)
    case 'diff':
      return await diffCommand(rest, full, signal)
    case 'package':
      return await packageCommand(rest, full)
    case 'task':
      // internal: the command SLURM jobs run (src/cli/task.ts); not in the usage text
      return await taskCommand(rest, full, signal)
    case '--version':
    case '-v':
      full.out(VERSION + '\n')
      return 0
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      full.out(USAGE + '\n')
      return 0
    default: {
      const near = suggest(command, commands)
      throw new QuasiError('USAGE', `unknown command \`${command}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
        expected: commands.join(', '),
        hint: 'run `quasi --help`',
      })
    }
  }
}

/**
 * Ctrl-C (or SIGTERM) aborts the run cleanly (locks released, cache intact); a second one
 * exits at once. The handlers are installed by `arm()`, which `run` calls once the plan is
 * loaded, just before it takes the lock. Until then the signals keep their default action,
 * which ends the process at once: a JavaScript handler runs only when the event loop is
 * free, so during the seconds that reading and planning a 10 MB file take it would leave
 * the process running, and before the lock there is nothing to clean up.
 */
function interruptSignal(io: Io, ac: AbortController): { arm(): void; dispose(): void } {
  let armed = false
  const onInt = () => {
    if (ac.signal.aborted) process.exit(130)
    io.err('\ninterrupted: stopping running stages (Ctrl-C again to quit at once)\n')
    ac.abort()
  }
  return {
    arm: () => {
      if (armed) return
      armed = true
      process.on('SIGINT', onInt)
      process.on('SIGTERM', onInt)
    },
    dispose: () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onInt)
    },
  }
}
