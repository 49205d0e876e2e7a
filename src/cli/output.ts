/**
 * stdout and stderr when the reader may go away (`quasi run p.yaml | head -1`). Node reports
 * a closed pipe as an 'error' event on the stream (EPIPE), which, unhandled, crashes the
 * process and leaves the run's lock behind. Here it means what SIGPIPE means to a Unix tool:
 * stop writing, stop the work quietly, and exit with 141 (128 + SIGPIPE).
 */

/** Exit status of a process stopped by SIGPIPE, as a shell reports it. */
export const SIGPIPE_STATUS = 141

export interface ProcessOutput {
  readonly out: (s: string) => void
  readonly err: (s: string) => void
  /** Whether a reader went away (nothing more is written). */
  readonly closed: boolean
}

/** Writers for process.stdout and process.stderr; `onClose` runs once when either pipe breaks. */
export function processOutput(onClose: () => void): ProcessOutput {
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    onClose()
  }
  // Never removed: an error event can arrive after the command has returned.
  process.stdout.on('error', close)
  process.stderr.on('error', close)
  const writer = (stream: NodeJS.WriteStream) => (s: string) => {
    if (closed || stream.destroyed) return
    try {
      stream.write(s)
    } catch {
      close() // some streams throw synchronously instead
    }
  }
  return {
    out: writer(process.stdout),
    err: writer(process.stderr),
    get closed() {
      return closed
    },
  }
}
