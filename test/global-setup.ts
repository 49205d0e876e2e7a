/**
 * End-to-end tests run the built CLI (bin/quasi.js → dist/), so build it once first.
 * Type errors do not stop the emit; `npm test` reports them in its own `tsc --noEmit` step.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' })
  if (!existsSync(`${root}/dist/src/cli/main.js`)) throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
}
