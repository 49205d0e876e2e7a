import { describe, expect, test } from 'vitest'
import { QuasiErrors } from '../../../src/errors.ts'
import { parsePipelineText } from '../../../src/pipeline/load.ts'

/** The errors parsing `text` raises, as `line:col code message`. */
function problems(text: string): string[] {
  try {
    parsePipelineText(text, 'p.yaml')
  } catch (e) {
    if (e instanceof QuasiErrors) return e.errors.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.code} ${x.message}`)
    throw e
  }
  return []
}

describe('duplicate keys (checked by quasi, not by yaml)', () => {
  test('each repeated key is reported at the repetition, in file order, at every level and in flow mappings', () => {
    const text = [
      'quasi: 1', //                                   1
      'name: x', //                                    2
      'stages:', //                                    3
      '  a: { uses: ingest, uses: derive }', //        4
      '  b:', //                                       5
      '    with: { columns: { z: "1", z: "2" } }', //  6
      '  a: { uses: ingest }', //                      7
      'name: y', //                                    8
    ].join('\n')
    expect(problems(text)).toEqual([
      '4:22 DUPLICATE_KEY duplicate key `uses`',
      '6:32 DUPLICATE_KEY duplicate key `z`',
      '7:3 DUPLICATE_KEY duplicate key `a`',
      '8:1 DUPLICATE_KEY duplicate key `name`',
    ])
  })

  test('keys that become the same object key are duplicates (yaml compares 1 and "1" as different)', () => {
    expect(problems('stages:\n  1: { uses: x }\n  "1": { uses: y }\n')).toEqual(['3:3 DUPLICATE_KEY duplicate key `1`'])
    expect(problems('a: { true: 1, "true": 2 }\n')).toEqual(['1:15 DUPLICATE_KEY duplicate key `true`'])
  })

  test('the same key in different mappings, and in list items, is not a duplicate', () => {
    expect(problems('a: { x: 1 }\nb: { x: 1 }\nc: [ { x: 1 }, { x: 2 } ]\n')).toEqual([])
  })

  test('duplicates sort in among yaml\'s own errors by position', () => {
    const found = problems('a: 1\na: 2\nb: [1\n')
    expect(found[0]).toBe('2:1 DUPLICATE_KEY duplicate key `a`')
    expect(found.slice(1).every((p) => p.includes('YAML_SYNTAX'))).toBe(true)
  })
})
