/**
 * The stage graph: nodes in file order, edges upstream → downstream. Order is
 * deterministic: Kahn's algorithm, always taking the ready stage that comes first in the file.
 */
export interface GraphNode {
  readonly name: string
  /** Upstream stages, in the order they were referenced. */
  readonly deps: readonly string[]
}

export class StageGraph {
  readonly names: readonly string[]
  readonly #deps: ReadonlyMap<string, readonly string[]>
  readonly #downstream: ReadonlyMap<string, readonly string[]>

  constructor(nodes: readonly GraphNode[]) {
    this.names = nodes.map((n) => n.name)
    this.#deps = new Map(nodes.map((n) => [n.name, n.deps]))
    const down = new Map<string, string[]>(nodes.map((n) => [n.name, []]))
    for (const n of nodes) for (const d of n.deps) down.get(d)?.push(n.name)
    this.#downstream = down
  }

  deps(name: string): readonly string[] {
    return this.#deps.get(name) ?? []
  }

  downstream(name: string): readonly string[] {
    return this.#downstream.get(name) ?? []
  }

  /** A cycle as a closed path [a, b, c, a] where each stage takes input from the next, or undefined. */
  findCycle(): string[] | undefined {
    const state = new Map<string, 'active' | 'done'>()
    const stack: string[] = []
    const visit = (n: string): string[] | undefined => {
      state.set(n, 'active')
      stack.push(n)
      for (const d of this.deps(n)) {
        if (!this.#deps.has(d)) continue
        const s = state.get(d)
        if (s === 'active') return [...stack.slice(stack.indexOf(d)), d]
        if (s === undefined) {
          const c = visit(d)
          if (c) return c
        }
      }
      stack.pop()
      state.set(n, 'done')
      return undefined
    }
    for (const n of this.names) {
      if (state.get(n) === undefined) {
        const c = visit(n)
        if (c) return rotateToFirst(c.slice(0, -1), this.names)
      }
    }
    return undefined
  }

  /** Topological order, ties broken by file order. Assumes no cycle. */
  order(): string[] {
    const indeg = new Map(this.names.map((n) => [n, this.deps(n).filter((d) => this.#deps.has(d)).length]))
    const pos = new Map(this.names.map((n, i) => [n, i]))
    // Ready stages in a binary heap on file position: O(n log n) for a 10,000-instance matrix.
    const heap: number[] = []
    const push = (i: number) => {
      heap.push(i)
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1
        if (heap[p] <= heap[c]) break
        ;[heap[p], heap[c]] = [heap[c], heap[p]]
        c = p
      }
    }
    const pop = (): number => {
      const top = heap[0]
      const last = heap.pop()!
      if (heap.length > 0) {
        heap[0] = last
        for (let p = 0; ; ) {
          const l = 2 * p + 1, r = l + 1
          let m = p
          if (l < heap.length && heap[l] < heap[m]) m = l
          if (r < heap.length && heap[r] < heap[m]) m = r
          if (m === p) break
          ;[heap[p], heap[m]] = [heap[m], heap[p]]
          p = m
        }
      }
      return top
    }
    this.names.forEach((n, i) => { if (indeg.get(n) === 0) push(i) })
    const out: string[] = []
    while (heap.length > 0) {
      const n = this.names[pop()]
      out.push(n)
      for (const m of this.downstream(n)) {
        const k = indeg.get(m)! - 1
        indeg.set(m, k)
        if (k === 0) push(pos.get(m)!)
      }
    }
    return out
  }

  /** `names` and everything upstream of them. */
  upstreamClosure(names: Iterable<string>): Set<string> {
    return this.#closure(names, (n) => this.deps(n))
  }

  /** `names` and everything downstream of them. */
  downstreamClosure(names: Iterable<string>): Set<string> {
    return this.#closure(names, (n) => this.downstream(n))
  }

  #closure(start: Iterable<string>, next: (n: string) => readonly string[]): Set<string> {
    const seen = new Set<string>()
    const todo = [...start]
    while (todo.length > 0) {
      const n = todo.pop()!
      if (seen.has(n)) continue
      seen.add(n)
      for (const m of next(n)) todo.push(m) // not push(...): a stage may have 100,000s of dependents
    }
    return seen
  }
}

/** Rotate a cycle so it starts at the stage that comes first in the file, and close it. */
function rotateToFirst(cycle: string[], fileOrder: readonly string[]): string[] {
  let best = 0
  for (let i = 1; i < cycle.length; i++) if (fileOrder.indexOf(cycle[i]) < fileOrder.indexOf(cycle[best])) best = i
  const r = [...cycle.slice(best), ...cycle.slice(0, best)]
  return [...r, r[0]]
}
