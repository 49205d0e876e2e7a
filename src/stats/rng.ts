/**
 * Seeded random numbers that do not depend on scheduling: every stream is derived from a
 * path of labels (pipeline seed, stage name, draw index, …) by SHA-256, never from
 * a shared generator consumed in completion order.
 *
 * ## Method
 * xoshiro128** (Blackman & Vigna 2018) on four 32-bit words taken from
 * SHA-256(JSON path). Doubles take 53 random bits from two outputs. Normal draws use the
 * Marsaglia polar method. Hashing the full path gives each (stage, draw) its own
 * statistically independent starting state, the argument `targets::tar_seed_create` makes.
 * ## References
 * D. Blackman, S. Vigna (2018), "Scrambled linear pseudorandom number generators", arXiv:1805.01407.
 */
import { createHash } from 'node:crypto'

export class Rng {
  readonly path: readonly (string | number)[]
  #s0: number
  #s1: number
  #s2: number
  #s3: number
  #spare: number | undefined

  constructor(path: readonly (string | number)[]) {
    this.path = path
    const h = createHash('sha256').update(JSON.stringify(path)).digest()
    this.#s0 = h.readUInt32LE(0)
    this.#s1 = h.readUInt32LE(4)
    this.#s2 = h.readUInt32LE(8)
    this.#s3 = h.readUInt32LE(12)
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1
  }

  /** An independent stream for a sub-task (a draw, a bootstrap replication, a worker chunk). */
  fork(label: string | number): Rng {
    return new Rng([...this.path, label])
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.#s0, s1 = this.#s1, s2 = this.#s2, s3 = this.#s3
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    this.#s2 = s2 ^ s0
    this.#s3 = s3 ^ s1
    this.#s1 = s1 ^ this.#s2
    this.#s0 = s0 ^ this.#s3
    this.#s2 ^= t
    this.#s3 = rotl(this.#s3, 11)
    return result
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5 // 27 bits
    const lo = this.nextUint32() >>> 6 // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n >= 1) || n > 2 ** 32) throw new RangeError(`Rng.int: n must be in [1, 2^32], got ${n}`)
    const limit = 2 ** 32 - (2 ** 32 % n)
    for (;;) {
      const x = this.nextUint32()
      if (x < limit) return x % n
    }
  }

  /** Standard normal draw (Marsaglia polar method). */
  normal(): number {
    if (this.#spare !== undefined) {
      const s = this.#spare
      this.#spare = undefined
      return s
    }
    for (;;) {
      const u = 2 * this.uniform() - 1
      const v = 2 * this.uniform() - 1
      const s = u * u + v * v
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s)
        this.#spare = v * m
        return u * m
      }
    }
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(xs: readonly T[]): T[] {
    const a = xs.slice()
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = a[i]
      a[i] = a[j]
      a[j] = t
    }
    return a
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** The generator of one stage: H(pipeline seed, stage name). */
export function stageRng(seed: number, stage: string): Rng {
  return new Rng(['quasi', seed, stage])
}
