/** The tool's version, from its package.json (found by walking up from this module). */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const p = join(dir, 'package.json')
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'quasi' && pkg.version) return pkg.version
    }
    const up = dirname(dir)
    if (up === dir) return '0.0.0'
    dir = up
  }
}

export const VERSION = findVersion()
