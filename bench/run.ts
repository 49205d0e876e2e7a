/**
 * `npm run bench`: every benchmark in bench/, one after another, each in its own process
 * so that one's memory and JIT state do not colour the next. Pass names to run a subset:
 * `npm run bench -- scheduler dea`.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const wanted = process.argv.slice(2)
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort()
const chosen = wanted.length ? all.filter((b) => wanted.includes(b)) : all
let failed = 0
for (const b of chosen) {
  console.log(`\n## ${b}`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${b}.ts`], { stdio: 'inherit' })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
