/**
 * What users of R, Stata, Excel and pandas write for our functions. Edit distance cannot
 * find these (`ln` is two letters from `log`, no nearer than `sd`), so "did you mean" looks
 * here first. A note says what differs when the other name means something else exactly.
 * Keys are lower case; a Map, so `constructor` and friends are simply absent.
 */
export interface Synonym {
  readonly name: string
  readonly note?: string
}

const entries: [string, string, string?][] = [
  ['ln', 'log', 'log is the natural logarithm'],
  ['loge', 'log'],
  ['log10', 'log', 'log is the natural logarithm: write log(x) / log(10)'],
  ['log2', 'log', 'log is the natural logarithm: write log(x) / log(2)'],
  ['exponential', 'exp'],
  ['power', 'pow'],
  ['sqr', 'sqrt'],
  ['fabs', 'abs'],
  ['absolute', 'abs'],
  ['ifelse', 'if'],
  ['if_else', 'if'],
  ['iif', 'if'],
  ['cond', 'if'],
  ['where', 'if'],
  ['isna', 'is_missing'],
  ['is_na', 'is_missing'],
  ['isnull', 'is_missing'],
  ['is_null', 'is_missing'],
  ['missing', 'is_missing'],
  ['ismissing', 'is_missing'],
  ['avg', 'mean'],
  ['average', 'mean'],
  ['total', 'sum'],
  ['std', 'sd'],
  ['stdev', 'sd'],
  ['stddev', 'sd'],
  ['var', 'sd', 'the variance is sd(x) ^ 2'],
  ['variance', 'sd', 'the variance is sd(x) ^ 2'],
  ['med', 'median'],
  ['minimum', 'min'],
  ['maximum', 'max'],
  ['n', 'count'],
  ['len', 'count'],
  ['length', 'count'],
  ['nobs', 'count'],
  ['shift', 'lag', 'lag(x, k) looks k periods back within the unit; lead(x, k) looks ahead'],
  ['difference', 'diff'],
  ['delta', 'diff'],
  ['zscore', 'standardize'],
  ['scale', 'standardize'],
  ['normalize', 'standardize'],
  ['std_score', 'standardize'],
  ['winsorize', 'winsor'],
  ['winsorise', 'winsor'],
  ['winsor2', 'winsor'],
  ['entropy_weight', 'entropy'],
  ['rel_time', 'event_time'],
  ['relative_time', 'event_time'],
]

export const SYNONYMS: ReadonlyMap<string, Synonym> = new Map(entries.map(([from, name, note]) => [from, note ? { name, note } : { name }]))
