/**
 * The built code must not import `.ts` files: tsc leaves a dynamic `import('./x.ts')`
 * unrewritten inside an object literal passed to a call (stages avoid it with a top-level
 * loader), and the CLI would then fail only when that stage runs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const dist = fileURLToPath(new URL('../../dist', import.meta.url))

test('no module in dist/ imports a .ts file', () => {
  const bad: string[] = []
  for (const f of readdirSync(dist, { recursive: true }) as string[]) {
    if (!f.endsWith('.js')) continue
    const text = readFileSync(join(dist, f), 'utf8')
    for (const m of text.matchAll(/(?:import\(|from )\s*['"](\.[^'"]+\.ts)['"]/g)) bad.push(`${f}: ${m[1]}`)
  }
  expect(bad).toEqual([])
})
