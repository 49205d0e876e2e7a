/**
 * Fuzz: random text, random token sequences and random well-formed expressions from a seeded
 * generator. Whatever the input, the expression layer either succeeds or throws QuasiError
 * (QuasiErrors) with a position inside the input; nothing can reach eval-like behaviour.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { QuasiError, QuasiErrors } from '../../../src/errors.ts'
import { FUNCTIONS, compileExpression, evaluate, schemaOf } from '../../../src/expr/index.ts'
import { Rng } from '../../../src/stats/rng.ts'
import { Frame } from './run.ts'

const panel = { unit: 'city', time: 'year' }
const frame = Frame.from({
  city: ['a', 'a', 'a', 'b', 'b', 'c'],
  year: [2010, 2011, 2013, 2010, 2011, 2012],
  gdp: [1.5, 2, NaN, -3, 0, 1e300],
  pop: [10, 0, 5, 7, NaN, 2],
  pilot_year: [2011, 2011, 2011, NaN, NaN, 0],
  level: ['x', 'y', null, 'x', 'z', 'y'],
  constructor: [1, 2, 3, 4, 5, 6],
})
const schema = schemaOf(frame, panel)

const CHARS = [
  ...'abcxyz_019 .,;:+-*/^()[]<>=!&|"\'`\\%$#@?~{}\n\t',
  'é', '城', '😀', '\u0000', '\ud800', '\u200b', 'e', 'E',
]
const WORDS = [
  'gdp', 'pop', 'year', 'city', 'level', 'pilot_year', 'gpd', 'constructor', '__proto__', 'prototype', 'toString',
  'eval', 'Function', 'require', 'process', 'globalThis', 'import', 'this', 'window', 'valueOf',
  ...FUNCTIONS.keys(), 'and', 'or', 'not', 'by', 'in',
  '0', '1', '2', '0.01', '0.99', '1e3', '.5', '2010', '-1', '1e400',
  '"x"', '"y"', "'it''s'", '"require(\'fs\')"', '"${process.exit()}"', '`gdp`', '`__proto__`', '`constructor`',
  '+', '-', '*', '/', '^', '==', '!=', '<', '<=', '>', '>=', '(', ')', '[', ']', ',', ';', ':', '=', '&&', '!',
  'negative:', 'shift:', 'quantile:', '"stata"', '"r7"',
]

function randomText(rng: Rng): string {
  const n = rng.int(40)
  let s = ''
  for (let i = 0; i < n; i++) s += CHARS[rng.int(CHARS.length)]
  return s
}

function randomTokens(rng: Rng): string {
  const n = 1 + rng.int(14)
  const parts: string[] = []
  for (let i = 0; i < n; i++) parts.push(WORDS[rng.int(WORDS.length)])
  return parts.join(rng.int(3) === 0 ? '' : ' ')
}

/** Well-formed expressions (most of them pass the checker), to exercise the evaluator. */
function randomExpr(rng: Rng, depth: number): string {
  const num = () => ['gdp', 'pop', 'year', 'pilot_year', '1', '0', '2.5', '-1'][rng.int(8)]
  if (depth <= 0) return num()
  const sub = () => randomExpr(rng, depth - 1)
  switch (rng.int(16)) {
    case 0: return `${sub()} ${['+', '-', '*', '/', '^'][rng.int(5)]} ${sub()}`
    case 1: return `(${sub()} ${['<', '<=', '>', '>=', '==', '!='][rng.int(6)]} ${sub()})`
    case 2: return `(${sub()} ${['and', 'or'][rng.int(2)]} not ${sub()})`
    case 3: return `${['log', 'exp', 'sqrt', 'abs', 'is_missing'][rng.int(5)]}(${sub()})`
    case 4: return `pow(${sub()}, ${sub()})`
    case 5: return `if(${sub()}, ${sub()}, ${sub()})`
    case 6: return `${['lag', 'lead', 'diff'][rng.int(3)]}(${sub()}, ${rng.int(3)})`
    case 7: return `${['mean', 'sum', 'min', 'max', 'sd', 'count', 'median', 'standardize', 'rank'][rng.int(9)]}(${sub()})${rng.int(2) ? ' by city' : ''}`
    case 8: return `winsor(${sub()}, 0.1, 0.9${rng.int(2) ? '; quantile: "stata"' : ''})${rng.int(2) ? ' by year' : ''}`
    case 9: return `entropy(${sub()}, ${sub()}; negative: [${sub()}])${rng.int(2) ? ' by year' : ''}`
    case 10: return `${['adopted', 'event_time'][rng.int(2)]}(${sub()})`
    case 11: return `(level ${['==', '!='][rng.int(2)]} "x")`
    case 12: return `(level in ["x", "z"])`
    case 13: return `if(${sub()}, level, "q") == "q"`
    case 14: return `-${sub()}`
    default: return num()
  }
}

type Outcome = 'ok' | 'error'

function attempt(src: string): Outcome {
  let compiled
  try {
    compiled = compileExpression(src, schema)
  } catch (err) {
    assertUserError(err, src)
    return 'error'
  }
  try {
    const r = evaluate(compiled.expr, frame, { source: src, panel })
    expect(r.column.data.length).toBe(frame.nrows)
    expect(r.column.type).toBe(compiled.type)
    if (r.column.type === 'number') for (const v of r.column.data) expect(Number.isFinite(v) || Number.isNaN(v)).toBe(true)
    return 'ok'
  } catch (err) {
    assertUserError(err, src)
    return 'error'
  }
}

function assertUserError(err: unknown, src: string): void {
  const errs = err instanceof QuasiErrors ? err.errors : [err]
  for (const e of errs) {
    if (!(e instanceof QuasiError)) throw new Error(`non-QuasiError for ${JSON.stringify(src)}: ${String(e)}`, { cause: e })
    expect(e.code, src).not.toBe('INTERNAL')
    expect(e.message, src).toMatch(/^\d+:\d+: /)
    expect(e.offset, src).toBeGreaterThanOrEqual(0)
    expect(e.offset!, src).toBeLessThanOrEqual(src.length)
  }
}

/** Trap every route to code generation while the fuzz runs. */
const realEval = globalThis.eval
const RealFunction = globalThis.Function
let codegenCalls = 0
beforeEach(() => {
  codegenCalls = 0
  const trap = () => {
    codegenCalls++
    throw new Error('code generation reached')
  }
  globalThis.eval = trap as typeof eval
  const FunctionTrap = new Proxy(RealFunction, { apply: trap, construct: trap })
  globalThis.Function = FunctionTrap
  Object.defineProperty(RealFunction.prototype, 'constructor', { value: FunctionTrap, configurable: true, writable: true })
})
afterEach(() => {
  globalThis.eval = realEval
  globalThis.Function = RealFunction
  Object.defineProperty(RealFunction.prototype, 'constructor', { value: RealFunction, configurable: true, writable: true })
})

describe('fuzz', () => {
  test('random text: only QuasiErrors with positions', () => {
    const rng = new Rng(['fuzz', 'text'])
    let errors = 0
    for (let i = 0; i < 4000; i++) if (attempt(randomText(rng)) === 'error') errors++
    expect(errors).toBeGreaterThan(3000)
    expect(codegenCalls).toBe(0)
  })

  test('random token sequences: only QuasiErrors with positions, some valid', () => {
    const rng = new Rng(['fuzz', 'tokens'])
    const seen = { ok: 0, error: 0 }
    for (let i = 0; i < 6000; i++) seen[attempt(randomTokens(rng))]++
    expect(seen.ok).toBeGreaterThan(100)
    expect(seen.error).toBeGreaterThan(3000)
    expect(codegenCalls).toBe(0)
  })

  test('random well-formed expressions evaluate to full columns of finite numbers or missing', () => {
    const rng = new Rng(['fuzz', 'grammar'])
    const seen = { ok: 0, error: 0 }
    for (let i = 0; i < 2000; i++) seen[attempt(randomExpr(rng, 1 + rng.int(4)))]++
    expect(seen.ok).toBeGreaterThan(1500)
    expect(codegenCalls).toBe(0)
  })

  test('the trap itself works (a test that could fail)', () => {
    expect(() => globalThis.eval('1')).toThrow('code generation reached')
    expect(() => (() => 0).constructor('return 1')).toThrow('code generation reached')
    expect(codegenCalls).toBe(2)
  })

  test('a column named constructor is a column; prototype names are not', () => {
    expect(attempt('constructor + 1')).toBe('ok')
    expect(attempt('`__proto__`')).toBe('error')
    expect(attempt('toString(1)')).toBe('error')
  })
})

describe('no code generation in the source', () => {
  test('src/expr contains no eval, Function constructor, dynamic import or require', () => {
    const dir = fileURLToPath(new URL('../../../src/expr/', import.meta.url))
    const files: string[] = []
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name)
        if (statSync(p).isDirectory()) walk(p)
        else if (p.endsWith('.ts')) files.push(p)
      }
    }
    walk(dir)
    expect(files.length).toBeGreaterThan(8)
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
      for (const bad of [/\beval\s*\(/, /\bFunction\s*\(/, /\bimport\s*\(/, /\brequire\s*\(/, /\bwith\s*\(/, /\.constructor\s*\(/, /\[\s*['\"`]constructor/]) {
        expect(bad.test(code), `${file} matches ${bad}`).toBe(false)
      }
    }
  })
})
