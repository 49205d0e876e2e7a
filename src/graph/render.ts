/** `quasi dag`: the stage graph as text, Mermaid or Graphviz dot. */
import type { StageGraph } from './graph.ts'

export type DagFormat = 'text' | 'mermaid' | 'dot'

export function renderDag(g: StageGraph, kinds: ReadonlyMap<string, string>, format: DagFormat): string {
  const order = g.order()
  switch (format) {
    case 'text': {
      const width = order.reduce((w, n) => Math.max(w, n.length), 0)
      return order
        .map((n) => {
          const deps = g.deps(n)
          return `${n.padEnd(width)}  ${(kinds.get(n) ?? '').padEnd(14)}${deps.length ? ' ← ' + deps.join(', ') : ''}`
        })
        .join('\n') + '\n'
    }
    case 'mermaid': {
      const id = (n: string) => n.replace(/[^A-Za-z0-9_]/g, '_')
      const lines = ['flowchart TD']
      for (const n of order) lines.push(`  ${id(n)}["${n}<br/><small>${kinds.get(n) ?? ''}</small>"]`)
      for (const n of order) for (const d of g.deps(n)) lines.push(`  ${id(d)} --> ${id(n)}`)
      return lines.join('\n') + '\n'
    }
    case 'dot': {
      const q = (s: string) => JSON.stringify(s)
      const lines = ['digraph pipeline {', '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];']
      for (const n of order) lines.push(`  ${q(n)} [label=${q(`${n}\n${kinds.get(n) ?? ''}`)}];`)
      for (const n of order) for (const d of g.deps(n)) lines.push(`  ${q(d)} -> ${q(n)};`)
      lines.push('}')
      return lines.join('\n') + '\n'
    }
  }
}
