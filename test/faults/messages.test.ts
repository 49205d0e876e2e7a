/** The faults suite's judge of stderr, on texts quasi and Node print: it must tell coded from uncoded. */
import { describe, expect, test } from 'vitest'
import { codesIn, uncodedProblems } from './project.ts'

const coded = `pipelines/faults.yaml:7:3  error BAD_DATA  stage \`panel\` (ingest)
  7 |   panel:
    |   ^^^^^
  data/panel.csv: row 3 has 2 cells, the header has 7
  hint: every row needs as many cells as the header

error LOCKED
  pipeline \`faults\` is being run by another quasi process (pid 1 on h, since t)
  hint: wait for it to finish, or pass --wait SECONDS to queue behind it

2 errors
`

const internal = `pipelines/faults.yaml:7:3  error INTERNAL  stage \`panel\` (ingest)
  7 |   panel:
    |   ^
  ENOSPC: no space left on device, write
    Error: ENOSPC: no space left on device, write
        at async write (node:internal/fs/promises:740:8)
  This is a bug in quasi; please report it with the pipeline file.
`

const nodeCrash = `node:events:502
      throw er; // Unhandled 'error' event
      ^

Error: write EPIPE
    at afterWriteDispatched (node:internal/stream_base_commons:161:15)
`

describe('uncodedProblems', () => {
  test('coded error blocks, the count line and the Ctrl-C notice pass', () => {
    expect(uncodedProblems('')).toEqual([])
    expect(uncodedProblems(coded)).toEqual([])
    expect(codesIn(coded)).toEqual(['BAD_DATA', 'LOCKED'])
    expect(uncodedProblems('\ninterrupted: stopping running stages (Ctrl-C again to quit at once)\nerror CANCELLED\n  cancelled\n')).toEqual([])
  })

  test('INTERNAL, "bug in quasi", a stack trace and text Node prints by itself do not', () => {
    expect(uncodedProblems(internal)).toEqual(['says "bug in quasi"', 'has a stack trace', 'an INTERNAL error'])
    expect(uncodedProblems(nodeCrash)).toEqual(['has a stack trace', 'uncoded text: "node:events:502"'])
    expect(uncodedProblems('(node:123) Warning: something\n')).toEqual(['uncoded text: "(node:123) Warning: something"'])
  })
})
