import { describe, expect, test } from 'vitest'
import { readDta } from '../../../../src/artifacts/read/dta.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { QuasiError } from '../../../../src/errors.ts'
import { expected, expectColumn, expectUserError, fixture, referenceR } from './helpers.ts'

/** pandas-written fixtures (make_dta.py) with .a–.z patched in, and two files written by others. */
const SAMPLES = ['sample117.dta', 'sample118.dta', 'sample119.dta', 'sample118-msf.dta']
const THIRD_PARTY = ['stata13-lutkepohl2.dta', 'haven-iris.dta']

describe('readDta agrees with pandas.read_stata (expected.json)', () => {
  for (const file of SAMPLES) {
    test(file, async () => {
      const want = expected[file]
      const { frame, info } = await readDta(fixture(file), { file })
      expect(frame.names).toEqual(want.names)
      expect(frame.nrows).toBe(want.rows)
      for (const name of want.names) {
        const col = want.columns[name]
        expectColumn(frame, name, col.values)
        const ours = info.columns.find((c) => c.name === name)!
        expect(ours.missingCodes ?? {}, `${file} ${name} missing codes`).toEqual(col.missing_codes)
        expect(ours.missing).toBe(col.values.filter((v: unknown) => v === null).length)
        expect(ours.label, `${file} ${name} label`).toBe(want.variable_labels[name])
      }
      expect(info.columns.find((c) => c.name === 'treat')).toMatchObject({ valueLabelSet: 'treat', valueLabels: want.value_labels.treat })
    })
  }
})

describe('readDta agrees with R haven (reference-r.json), including files written by Stata 13 and by haven', () => {
  for (const file of [...SAMPLES, ...THIRD_PARTY]) {
    test(file, async () => {
      const ref = referenceR.dta[file]
      const { frame, info } = await readDta(fixture(file), { file })
      expect(frame.names).toEqual(ref.names)
      expect(frame.nrows).toBe(ref.rows)
      for (const name of ref.names) {
        const col = ref.columns[name]
        // haven 2.5.1 (ReadStat) reads the strLs of this 119 file as all missing; pandas and quasi
        // agree with each other and with the format description (v in 3 bytes, o in 5).
        if (file === 'sample119.dta' && name === 'notes') continue
        // haven's numbers come as 17-digit text, which reads back to the same double.
        const values = col.type === 'number' ? col.values.map((v: string | null) => (v === null ? null : Number(v))) : col.values
        expectColumn(frame, name, values)
        const ours = info.columns.find((c) => c.name === name)!
        expect(ours.missingCodes ?? {}, `${file} ${name}`).toEqual(Array.isArray(col.missing_codes) ? {} : col.missing_codes)
        if (col.label !== null) expect(ours.label).toBe(col.label)
        if (col.value_labels !== null) expect(ours.valueLabels).toEqual(col.value_labels)
      }
    })
  }
})

describe('readDta: details', () => {
  test('format, byte order, dataset label and time stamp go to info.meta', async () => {
    const { info } = await readDta(fixture('sample118-msf.dta'))
    expect(info.meta).toEqual({ release: 118, byteorder: 'MSF', label: 'quasi reader fixture', timestamp: '02 Jan 2024 03:04' })
  })

  test('strLs longer than any str# and shared between observations are resolved', async () => {
    const { frame } = await readDta(fixture('sample119.dta'))
    const notes = frame.strings('notes')
    expect(notes[0]).toHaveLength(3000)
    expect(notes[11]).toBe(notes[0])
    expect(notes[1]).toBeNull() // strL (0,0): Stata's empty string
  })

  test('Stata %t formats are reported; the values stay Stata day numbers', async () => {
    const { frame, info } = await readDta(fixture('stata13-lutkepohl2.dta'))
    expect(info.notes.join('\n')).toContain('variable "qtr" has the Stata date/time format %tq')
    expect(frame.numbers('qtr')[0]).toBe(0)
  })

  test('declared types: string formats codes, number/integer check every observation', async () => {
    const { frame } = await readDta(fixture('sample118.dta'), { types: { treat: 'string' } })
    expect(frame.strings('treat').slice(0, 4)).toEqual(['0', '1', '0', null])
    const e = await expectUserError(readDta(fixture('sample118.dta'), { file: 'x.dta', types: { gdp: 'integer' } }), 'BAD_DATA', [
      'x.dta: observation 1, column "gdp": `0.1` is not an integer',
    ])
    expect(e.param).toEqual(['types', 'gdp'])
    await expectUserError(readDta(fixture('sample118.dta'), { types: { city: 'number' } }), 'BAD_DATA', ['observation 1', '`Shijiazhuang` is not a number'])
  })
})

describe('readDta: bad files', () => {
  const good = fixture('sample118.dta')

  test('format 114 (pandas), refused before formats 104–115 were read, gives the values of the 117 file', async () => {
    const old = await readDta(fixture('old114.dta'))
    const new117 = await readDta(fixture('sample117.dta'))
    expect(old.info.meta.release).toBe(114)
    // sample117.dta has .a–.z patched into some cells (make_dta.py); every other cell agrees.
    for (const name of old.frame.names) {
      const a = Array.from(old.frame.column(name)!.data as ArrayLike<unknown>)
      const b = Array.from(new117.frame.column(name)!.data as ArrayLike<unknown>)
      b.forEach((v, i) => {
        if (v !== null && !Number.isNaN(v)) expect(a[i], `${name}[${i}]`).toEqual(v)
      })
    }
  })

  test('an unknown newer release is refused by number', async () => {
    const b = good.slice()
    b.set(new TextEncoder().encode('121'), '<stata_dta><header><release>'.length)
    await expectUserError(readDta(b), 'BAD_DATA', ['format 121 is not supported'])
  })

  test('truncation anywhere gives BAD_DATA', async () => {
    for (let cut = 0; cut < good.length; cut += 97) {
      const e = await readDta(good.subarray(0, cut), { file: 'cut.dta' }).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(e, `cut at ${cut}`).toBeInstanceOf(QuasiError)
      expect((e as QuasiError).code).toBe('BAD_DATA')
    }
  })

  test('an observation count larger than the file is caught before allocating', async () => {
    const b = good.slice()
    const at = indexOf(b, '<N>') + 3
    new DataView(b.buffer).setBigUint64(at, 10n ** 12n, true)
    await expectUserError(readDta(b), 'BAD_DATA', ['promises 1000000000000 observations'])
  })

  test('the file map is not relied on (Stata 13 itself writes 0 for one of its offsets)', async () => {
    const b = good.slice()
    b.fill(0, indexOf(b, '<map>') + 5, indexOf(b, '</map>'))
    expect((await readDta(b)).frame.toRows()).toEqual((await readDta(good)).frame.toRows())
  })

  test('a damaged section marker is named', async () => {
    const b = good.slice()
    b[indexOf(b, '<value_labels>') + 1] = 'X'.charCodeAt(0)
    await expectUserError(readDta(b), 'BAD_DATA', ['expected the marker <value_labels>', '`<Xalue_labels>`'])
  })

  test('random byte damage never escapes as anything but a user error (200 seeded trials)', async () => {
    const rng = new Rng(['dta-fuzz'])
    let refused = 0
    for (let t = 0; t < 200; t++) {
      const b = good.slice()
      for (let k = 0; k < 4; k++) b[rng.int(b.length)] = rng.int(256)
      try {
        await readDta(b)
      } catch (e) {
        expect(e, `trial ${t}`).toBeInstanceOf(QuasiError)
        refused++
      }
    }
    expect(refused).toBeGreaterThan(0)
  })

  test('files of another kind say what they are', async () => {
    const e = await expectUserError(readDta(new TextEncoder().encode('id\tx\n1\t2\n'), { file: 'a.dta' }), 'BAD_DATA', [
      'expected a Stata .dta file, but the file is a text file',
    ])
    expect(e.hint).toContain('.csv')
    await expectUserError(readDta(fixture('panel.xlsx')), 'BAD_DATA', ['a ZIP archive'])
  })
})

function indexOf(b: Uint8Array, marker: string): number {
  const i = Buffer.from(b).indexOf(marker)
  if (i < 0) throw new Error(`no ${marker}`)
  return i
}
