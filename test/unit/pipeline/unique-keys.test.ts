import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { walkDocument } from '../../../src/pipeline/unique-keys.ts'

const opts = { uniqueKeys: false, schema: 'core', customTags: [], merge: false, strict: true }

describe('walkDocument', () => {
  it.each([
    'quasi: 1\nstages:\n  a: { uses: ingest, with: { file: x.csv } }\n',
    '__proto__: { x: 1 }\ntoString: 3\n',
    '[1, { b: ~, c: [true, 0x1f, .inf, "s"] }]',
    '{ a, b: }\n',
    ': 1\n',
    '3',
    '',
    'a: &x { b: 1 }\n',
    '- [a: 1]\n',
  ])('builds the value toJS builds: %j', (text) => {
    const doc = parseDocument(text, opts)
    const w = walkDocument(doc)
    expect(w.value).toBeDefined()
    const js = doc.toJS({ maxAliasCount: 100 })
    expect(w.value!.value).toStrictEqual(js)
    if (js && typeof js === 'object') expect(Object.getOwnPropertyNames(w.value!.value)).toEqual(Object.getOwnPropertyNames(js))
  })

  it.each(['a: &x 1\nb: *x\n', '? [a]\n: 1\n'])('leaves aliases and keys that are collections to toJS: %j', (text) => {
    expect(walkDocument(parseDocument(text, opts)).value).toBeUndefined()
  })

  it('finds duplicate keys at every depth, in file order, whether or not it builds the value', () => {
    const text = 'a: 1\nb: { c: 1, c: 2 }\na: *x\n1: x\n"1": y\n'
    const found = walkDocument(parseDocument(text, opts)).duplicates.map((e) => e.pos[0])
    expect(found).toEqual([text.indexOf('c: 2'), text.indexOf('a: *x'), text.indexOf('"1"')])
  })
})
