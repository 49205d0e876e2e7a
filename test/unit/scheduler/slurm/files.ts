import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** Every file under `dir` with its bytes (run.json without its `ms` timings), by relative path. */
export function filesIn(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else {
        const text = readFileSync(p).toString('base64')
        out[relative(dir, p)] = e.name === 'run.json' ? readFileSync(p, 'utf8').replace(/"ms": \d+/g, '"ms": 0') : text
      }
    }
  }
  if (existsSync(dir)) walk(dir)
  return out
}
