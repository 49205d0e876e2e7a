import { describe, expect, test } from 'vitest'
import { parsePipelineText } from '../../../src/pipeline/load.ts'
import { locate } from '../../../src/pipeline/source.ts'

describe('locate', () => {
  test('finds keys and values in small mappings and in large ones (searched through an index)', () => {
    const lines = ['small: { a: 1, b: 2 }', 'big:']
    for (let i = 0; i < 500; i++) lines.push(`  k${i}: v${i}`)
    const src = parsePipelineText(lines.join('\n') + '\n', 'p.yaml')
    expect(locate(src, ['small', 'b'])).toMatchObject({ line: 1, col: 19 })
    expect(locate(src, ['big', 'k377'], { key: true })).toMatchObject({ line: 380, col: 3, length: 4 })
    expect(locate(src, ['big', 'k377'])).toMatchObject({ line: 380, col: 9, length: 4 })
    // A missing key points at the nearest existing ancestor.
    expect(locate(src, ['big', 'nope'])).toMatchObject({ line: 3, col: 3 })
  })
})
