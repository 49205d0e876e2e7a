/**
 * The thread budget (`--threads`): a counting semaphore shared by every stage running at
 * once, so that two stages that each compute on several threads do not start twice the
 * threads the machine has. A lease counts the thread the stage computes on as one of its
 * threads (measure-gie with a lease of k: the calling thread and k − 1 workers).
 *
 * `acquire(max)` waits until at least one thread is free, then takes as many as are free,
 * up to `max`. Waiters are served first come, first served: a later request never takes
 * threads an earlier one is waiting for, so a stage asking for many is not starved by a
 * stream of small requests. `release()` is idempotent, so it can sit in a `finally`.
 */
import { QuasiError } from '../errors.ts'
import type { ThreadLease, ThreadPool } from '../stage.ts'

interface Waiter {
  readonly max: number
  readonly grant: (lease: ThreadLease) => void
}

export class ThreadBudget implements ThreadPool {
  readonly size: number
  #free: number
  readonly #queue: Waiter[] = []

  /** @param size threads in the budget (>= 1) */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`ThreadBudget: size must be an integer >= 1, got ${size}`)
    this.size = size
    this.#free = size
  }

  /** Threads not leased now. */
  get free(): number {
    return this.#free
  }

  /** Requests waiting for a thread. */
  get waiting(): number {
    return this.#queue.length
  }

  /**
   * Lease between 1 and `max` threads (`max` below 1 counts as 1). Rejects with CANCELLED
   * if `signal` aborts while waiting.
   */
  acquire(max: number, signal?: AbortSignal): Promise<ThreadLease> {
    const want = Math.max(1, Math.floor(Number.isFinite(max) ? max : this.size))
    if (signal?.aborted) return Promise.reject(cancelled())
    if (this.#queue.length === 0 && this.#free > 0) return Promise.resolve(this.#lease(want))
    return new Promise<ThreadLease>((resolve, reject) => {
      const waiter: Waiter = {
        max: want,
        grant: (lease) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(lease)
        },
      }
      const onAbort = () => {
        const i = this.#queue.indexOf(waiter)
        if (i >= 0) this.#queue.splice(i, 1)
        reject(cancelled())
        // the head may have changed: let the next waiter take what is free
        this.#pump()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#queue.push(waiter)
    })
  }

  #lease(max: number): ThreadLease {
    const count = Math.min(max, this.#free)
    this.#free -= count
    let released = false
    return {
      count,
      release: () => {
        if (released) return
        released = true
        this.#free += count
        this.#pump()
      },
    }
  }

  #pump(): void {
    while (this.#free > 0 && this.#queue.length > 0) {
      const w = this.#queue.shift()!
      w.grant(this.#lease(w.max))
    }
  }
}

function cancelled(): QuasiError {
  return new QuasiError('CANCELLED', 'cancelled while waiting for threads')
}
