/**
 * `QUASI_FAULT_INJECT=<errno>:<area>[@<n>]` (several joined by commas): from the n-th write
 * (default the first) under <area> on, quasi's atomic writes fail with the system error the
 * disk would give. Areas: `cache` (.quasi/) and `outputs` (outputs/); errnos: enospc,
 * eacces, erofs, eio. This lets the faults suite (test/faults/) test a full disk or a
 * read-only cache on machines where it cannot mount a small file system or switch user.
 * The value is parsed, never evaluated; a malformed one is a usage error.
 */
import { sep } from 'node:path'
import { QuasiError } from '../errors.ts'
import { writeFaults } from './atomic.ts'

const ERRNOS = { enospc: ['ENOSPC', -28, 'no space left on device'], eacces: ['EACCES', -13, 'permission denied'], erofs: ['EROFS', -30, 'read-only file system'], eio: ['EIO', -5, 'i/o error'] } as const
type Errno = keyof typeof ERRNOS
const AREAS = { cache: `${sep}.quasi${sep}`, outputs: `${sep}outputs${sep}` } as const
type Area = keyof typeof AREAS

interface Fault {
  errno: Errno
  area: Area
  from: number
  seen: number
}

export function parseFaults(spec: string): Fault[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((one) => {
      const m = /^(\w+):(\w+)(?:@(\d+))?$/.exec(one)
      if (!m || !(m[1] in ERRNOS) || !(m[2] in AREAS) || (m[3] !== undefined && Number(m[3]) < 1)) {
        throw new QuasiError('USAGE', `QUASI_FAULT_INJECT: cannot read \`${one}\``, {
          hint: `write <errno>:<area>[@<n>] with errno one of ${Object.keys(ERRNOS).join(', ')} and area cache or outputs, e.g. enospc:cache@3`,
        })
      }
      return { errno: m[1] as Errno, area: m[2] as Area, from: m[3] === undefined ? 1 : Number(m[3]), seen: 0 }
    })
}

/** Arms the write seam from the variable, if set (an unset variable leaves the seam as it is). */
export function injectFaults(spec: string | undefined): void {
  if (spec === undefined || spec.trim() === '') return
  const faults = parseFaults(spec)
  writeFaults.inject = (path) => {
    for (const f of faults) {
      if (!path.includes(AREAS[f.area])) continue
      f.seen++
      if (f.seen < f.from) continue
      const [code, errno, text] = ERRNOS[f.errno]
      return Object.assign(new Error(`${code}: ${text}, write '${path}'`), { code, errno, syscall: 'write', path })
    }
    return undefined
  }
}
