/**
 * A process that takes a pipeline lock and reports what happened, for lock-hosts.test.ts:
 *   node --import tsx lock-holder.ts <lock dir> hold|crash|try|break|count <counter file> <n>
 * `hold` keeps the lock until stdin closes, then releases it; `crash` takes it and exits without
 * releasing (as kill -9 would leave it); `try` and `break` print `acquired` or the error code;
 * `count` takes the lock n times (waiting), each time incrementing the number in the counter
 * file by a read, a pause and a write, which loses updates unless the lock excludes.
 * QUASI_TEST_HOSTNAME sets the host the lock records.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { acquireLock } from '../../src/cache/lock.ts'
import { QuasiError } from '../../src/errors.ts'

const [dir, mode, counter, times] = process.argv.slice(2)

try {
  if (mode === 'count') {
    for (let i = 0; i < Number(times); i++) {
      const lock = await acquireLock(dir, { pipeline: 'p', waitMs: 120_000 })
      const n = Number(readFileSync(counter, 'utf8'))
      await new Promise((r) => setTimeout(r, 2))
      writeFileSync(counter, String(n + 1))
      await lock.release()
    }
    console.log('counted')
  } else {
    const lock = await acquireLock(dir, { pipeline: 'p', breakLock: mode === 'break' })
    console.log(lock.tookOver ? `acquired from pid ${lock.tookOver.pid} on ${lock.tookOver.host}` : 'acquired')
    if (mode === 'hold') {
      process.stdin.resume()
      await new Promise((r) => process.stdin.on('end', r))
      await lock.release()
    } else if (mode === 'crash') {
      process.exit(0)
    } else {
      await lock.release()
    }
  }
} catch (e) {
  console.log(e instanceof QuasiError ? `${e.code}: ${e.message}` : String(e))
}
