/**
 * `quasi diff A B`: compare two runs' outputs table by table, cell by cell.
 * `quasi diff REV1 REV2 pipeline.yaml`: run the pipeline as it is at two git revisions of the
 * project (each in a temporary worktree, with this quasi) and compare the two runs.
 * Exit 0 when they agree within the tolerance, 4 when they differ.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { diffRuns } from '../diff/runs.ts'
import { renderDiff, type DiffFormat } from '../diff/render.ts'
import { QuasiError } from '../errors.ts'
import { common, parse } from './args.ts'
import { project, type Io } from './context.ts'
import { runCommand } from './run.ts'

export const DIFF_DIFFERENT = 4

export const diffHelp = `Usage: quasi diff <A> <B> [options]
       quasi diff <rev1> <rev2> <pipeline.yaml> [options]

Compares two runs' results: A and B are two outputs/ folders or two outputs/<pipeline>/
folders. CSV files (tidy.csv, glance.csv, table.csv, balance.csv, …) are compared cell by
cell, rows matched by their key (model and term in tidy.csv, model in glance.csv, the
leading text columns elsewhere); each run.json gives the stages' outcomes and expectations.
Other files (md, tex, html, svg) are renderings of the same numbers and are checked only
for presence. With two git revisions and a pipeline file, runs the pipeline as it is at
each revision (temporary worktrees, this version of quasi, the cache shared) and compares.

Options:
  --tol X         absolute and relative tolerance X (sets both)
  --atol X        absolute tolerance (default 0)
  --rtol X        relative tolerance (default 0); numbers a, b agree when
                  |a − b| <= atol + rtol·|b|; missing (empty, NA, NaN) agrees with missing
  --format F      text | md | json (default text)

Exit status: 0 the same within the tolerance, 4 different, 2 usage.`

function tolOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new QuasiError('USAGE', `Expected \`--${name}\` to be a number >= 0, got \`${v}\``)
  return n
}

export async function diffCommand(argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('diff', argv, {
    ...common,
    tol: { type: 'string' },
    atol: { type: 'string' },
    rtol: { type: 'string' },
    format: { type: 'string' },
  }, { min: 2, max: 3, names: 'two output folders, or two git revisions and a pipeline file' })
  if (values.help) {
    io.out(diffHelp + '\n')
    return 0
  }
  const both = tolOption('tol', values.tol)
  const tol = { atol: tolOption('atol', values.atol) ?? both ?? 0, rtol: tolOption('rtol', values.rtol) ?? both ?? 0 }
  const format = (values.format ?? 'text') as DiffFormat
  if (!['text', 'md', 'json'].includes(format)) throw new QuasiError('USAGE', `Expected \`--format\` to be one of text, md, json, got \`${values.format}\``)

  if (positionals.length === 3) return await diffRevisions(positionals[0], positionals[1], positionals[2], values.root, tol, format, io, signal)
  const [a, b] = positionals.map((x) => resolve(io.cwd, x))
  for (const [arg, dir] of [[positionals[0], a], [positionals[1], b]]) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new QuasiError('MISSING_FILE', `no folder \`${arg}\``, { expected: 'an outputs/ or outputs/<pipeline>/ folder of a run', hint: 'give two output folders, or two git revisions and a pipeline file' })
    }
  }
  return report(diffRuns(a, b, tol), format, { a: positionals[0], b: positionals[1] }, io)
}

function report(d: ReturnType<typeof diffRuns>, format: DiffFormat, labels: { a: string; b: string }, io: Io): number {
  io.out(renderDiff(d, format, labels))
  return d.same ? 0 : DIFF_DIFFERENT
}

/**
 * Both revisions run with this quasi (not the quasi each revision pinned): the comparison is
 * of the pipeline and its data. They share the project's cache, so stages that did not change
 * between the revisions are taken from it.
 */
async function diffRevisions(rev1: string, rev2: string, file: string, root: string | undefined, tol: { atol: number; rtol: number }, format: DiffFormat, io: Io, signal: AbortSignal): Promise<number> {
  const p = project(io, root, file)
  const git = (args: string[], cwd = p.root) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  let top: string
  try {
    top = git(['rev-parse', '--show-toplevel'])
  } catch {
    throw new QuasiError('USAGE', `quasi diff with revisions needs a git repository; ${p.root} is not in one`)
  }
  const tmp = mkdtempSync(join(tmpdir(), 'quasi-diff-'))
  const added: string[] = []
  try {
    const outs: string[] = []
    for (const [i, rev] of [rev1, rev2].entries()) {
      let commit: string
      try {
        commit = git(['rev-parse', '--verify', `${rev}^{commit}`])
      } catch {
        throw new QuasiError('USAGE', `\`${rev}\` is not a git revision of this repository`, { hint: 'give a commit, branch or tag (`git log --oneline`)' })
      }
      const wt = join(tmp, `rev${i + 1}`)
      git(['worktree', 'add', '--detach', '--quiet', wt, commit], top)
      added.push(wt)
      const wtRoot = join(wt, relative(top, p.root))
      const wtFile = join(wtRoot, relative(p.root, resolve(io.cwd, file)))
      const sub: Io = { ...io, out: (s) => io.err(s), isTTY: false }
      const code = await runCommand([wtFile, '--root', wtRoot, '--reporter', 'plain', '--cache', join(p.quasiDir, 'cache')], sub, signal)
      if (code !== 0 && code !== 3) {
        io.err(`quasi diff: the run at ${rev} stopped with exit status ${code}\n`)
        return code
      }
      outs.push(join(wtRoot, 'outputs'))
    }
    return report(diffRuns(outs[0], outs[1], tol), format, { a: `${rev1}:${file}`, b: `${rev2}:${file}` }, io)
  } finally {
    for (const wt of added) {
      try {
        git(['worktree', 'remove', '--force', wt], top)
      } catch {
        // removed with the folder below; `git worktree prune` forgets it
      }
    }
    rmSync(tmp, { recursive: true, force: true })
    try {
      git(['worktree', 'prune'], top)
    } catch {
      // nothing to prune
    }
  }
}
