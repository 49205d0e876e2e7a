/** A CSV output as records of text cells (header row as keys), for assertions on stage files. */
import Papa from 'papaparse'

export function csvRecords(text: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data
}
