import { escapeControls } from '../escape.ts'

/**
 * Text from a user's files on its way into HTML: markup characters become entities, and
 * control and bidi characters are shown as escapes (src/escape.ts), so a cell or a column
 * name can neither add markup nor reorder what a reader sees.
 */
export function escapeHtml(s: string): string {
  return escapeControls(s, { newlines: true })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}
