/**
 * Frame: a columnar table. Numeric columns are Float64Array with NaN for missing;
 * string columns are arrays with `null` for missing. Frames are treated as immutable:
 * every transformation returns a new Frame that may share unchanged column arrays.
 */

export type NumberColumn = { readonly type: 'number'; readonly data: Float64Array }
export type StringColumn = { readonly type: 'string'; readonly data: readonly (string | null)[] }
export type Column = NumberColumn | StringColumn
export type ColumnType = Column['type']

export class Frame {
  readonly nrows: number
  readonly #columns: ReadonlyMap<string, Column>

  constructor(columns: Iterable<readonly [string, Column]>, nrows?: number) {
    const map = new Map<string, Column>()
    let n = nrows
    for (const [name, col] of columns) {
      if (map.has(name)) throw new Error(`Frame: duplicate column "${name}"`)
      if (n === undefined) n = col.data.length
      else if (col.data.length !== n) {
        throw new Error(`Frame: column "${name}" has ${col.data.length} rows, expected ${n}`)
      }
      map.set(name, col)
    }
    this.nrows = n ?? 0
    this.#columns = map
  }

  /** Build from plain arrays: numbers (NaN = missing) become numeric columns, the rest strings. */
  static from(cols: Record<string, ArrayLike<number> | readonly (string | null)[]>): Frame {
    return new Frame(
      Object.entries(cols).map(([name, data]) => {
        const isNum = data instanceof Float64Array || (data.length > 0 && typeof data[0] === 'number')
        return [
          name,
          isNum
            ? { type: 'number' as const, data: Float64Array.from(data as ArrayLike<number>) }
            : { type: 'string' as const, data: Array.from(data as readonly (string | null)[]) },
        ] as const
      }),
    )
  }

  get names(): string[] {
    return [...this.#columns.keys()]
  }

  get ncols(): number {
    return this.#columns.size
  }

  has(name: string): boolean {
    return this.#columns.has(name)
  }

  column(name: string): Column | undefined {
    return this.#columns.get(name)
  }

  /** The numeric data of a column; throws if absent or not numeric (stages check first). */
  numbers(name: string): Float64Array {
    const c = this.#columns.get(name)
    if (!c) throw new Error(`Frame: no column "${name}"`)
    if (c.type !== 'number') throw new Error(`Frame: column "${name}" is not numeric`)
    return c.data
  }

  strings(name: string): readonly (string | null)[] {
    const c = this.#columns.get(name)
    if (!c) throw new Error(`Frame: no column "${name}"`)
    if (c.type !== 'string') throw new Error(`Frame: column "${name}" is not a string column`)
    return c.data
  }

  /** Cell as a display key: numbers in shortest round-trip form, missing as null. */
  key(name: string, row: number): string | null {
    const c = this.#columns.get(name)
    if (!c) throw new Error(`Frame: no column "${name}"`)
    if (c.type === 'string') return c.data[row] ?? null
    const v = c.data[row]
    return Number.isNaN(v) ? null : String(v)
  }

  entries(): IterableIterator<[string, Column]> {
    return this.#columns.entries()
  }

  /** A new frame with `name` added, or replaced in place if it exists. */
  withColumn(name: string, col: Column): Frame {
    if (col.data.length !== this.nrows) {
      throw new Error(`Frame: column "${name}" has ${col.data.length} rows, expected ${this.nrows}`)
    }
    const cols = new Map(this.#columns)
    cols.set(name, col)
    return new Frame(cols, this.nrows)
  }

  select(names: readonly string[]): Frame {
    return new Frame(
      names.map((n) => {
        const c = this.#columns.get(n)
        if (!c) throw new Error(`Frame: no column "${n}"`)
        return [n, c] as const
      }),
      this.nrows,
    )
  }

  /** Rename columns ({ old: new }); order is kept. */
  rename(map: Readonly<Record<string, string>>): Frame {
    return new Frame([...this.#columns].map(([n, c]) => [map[n] ?? n, c] as const), this.nrows)
  }

  drop(names: readonly string[]): Frame {
    const gone = new Set(names)
    return new Frame([...this.#columns].filter(([n]) => !gone.has(n)), this.nrows)
  }

  /** Rows at the given indices, in that order. */
  take(rows: ArrayLike<number>): Frame {
    const n = rows.length
    const out: [string, Column][] = []
    for (const [name, c] of this.#columns) {
      if (c.type === 'number') {
        const d = new Float64Array(n)
        for (let i = 0; i < n; i++) d[i] = c.data[rows[i]]
        out.push([name, { type: 'number', data: d }])
      } else {
        const d = new Array<string | null>(n)
        for (let i = 0; i < n; i++) d[i] = c.data[rows[i]]
        out.push([name, { type: 'string', data: d }])
      }
    }
    return new Frame(out, n)
  }

  /** Rows where `keep[i]` is true. */
  filter(keep: ArrayLike<boolean | number>): Frame {
    const rows: number[] = []
    for (let i = 0; i < this.nrows; i++) if (keep[i]) rows.push(i)
    return this.take(rows)
  }

  /** Plain objects, one per row (missing as null): for tests and small outputs. */
  toRows(): Record<string, number | string | null>[] {
    const rows: Record<string, number | string | null>[] = []
    for (let i = 0; i < this.nrows; i++) {
      const r: Record<string, number | string | null> = {}
      for (const [name, c] of this.#columns) {
        const v = c.data[i]
        r[name] = typeof v === 'number' && Number.isNaN(v) ? null : v
      }
      rows.push(r)
    }
    return rows
  }
}

export const numberColumn = (data: Float64Array): NumberColumn => ({ type: 'number', data })
export const stringColumn = (data: readonly (string | null)[]): StringColumn => ({ type: 'string', data })
