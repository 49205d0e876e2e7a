/** Command-line parsing on node:util parseArgs, with usage errors as QuasiErrors. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { QuasiError } from '../errors.ts'
import { suggest } from '../suggest.ts'

export type Options = NonNullable<ParseArgsConfig['options']>

export const common = {
  // Project folder (cache in <root>/.quasi, outputs in <root>/outputs). Default: found from the
  // pipeline file's folder up (src/cli/context.ts `project`).
  root: { type: 'string' },
  // Let path parameters point outside the project folder.
  'allow-outside': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>

export function parse<const O extends Options>(command: string, argv: string[], options: O, positionals: { min: number; max: number; names: string }): Parsed<O> {
  let parsed: Parsed<O>
  try {
    parsed = parseArgs({ args: attachNegativeValues(argv, options), allowPositionals: true, options, strict: true })
  } catch (e) {
    const msg = (e as Error).message
    const flag = /'(--?[\w-]+)'/.exec(msg)?.[1]
    const near = flag ? suggest(flag.replace(/^-+/, ''), Object.keys(options)) : undefined
    throw new QuasiError('USAGE', `quasi ${command}: ${msg.split('.')[0]}${near ? `; did you mean \`--${near}\`?` : ''}`, {
      hint: `see \`quasi ${command} --help\``,
    })
  }
  const n = parsed.positionals.length
  if (!(parsed.values as { help?: boolean }).help && (n < positionals.min || n > positionals.max)) {
    throw new QuasiError('USAGE', `quasi ${command} takes ${positionals.names}`, { hint: `see \`quasi ${command} --help\`` })
  }
  return parsed
}

/**
 * `--jobs -1` as `--jobs=-1`: parseArgs takes a value starting with `-` for the next option
 * and reports the value as "ambiguous", which named the wrong problem. A negative number
 * after an option that takes a value is that option's value; intOption then judges it.
 */
function attachNegativeValues(argv: readonly string[], options: Options): string[] {
  const takesValue = new Set<string>()
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== 'string') continue
    takesValue.add(`--${name}`)
    if (o.short) takesValue.add(`-${o.short}`)
  }
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = argv[i + 1]
    if (takesValue.has(a) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a.startsWith('--') ? a : `--${shortToLong(a, options)}`}=${next}`)
      i++
    } else out.push(a)
  }
  return out
}

function shortToLong(flag: string, options: Options): string {
  return Object.entries(options).find(([, o]) => o.short === flag.slice(1))![0]
}

export function intOption(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < min) {
    throw new QuasiError('USAGE', `Expected \`--${name}\` to be an integer >= ${min}, got \`${v}\``)
  }
  return n
}
