/**
 * The facts every model stage reports (modelFacts in outputs.ts), as patterns for
 * `quasi validate` and docs/stages.md. Kept apart from outputs.ts so that a stage's
 * definition can name them without loading the estimation code.
 */
export const MODEL_FACTS = ['coef(<term>)', 'se(<term>)', 't(<term>)', 'p(<term>)', 'nobs', 'r2', 'adj_r2', 'within_r2', 'n_clusters'] as const
