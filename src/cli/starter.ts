/**
 * The starter study `quasi init` writes: a small synthetic panel with a known effect and a
 * pipeline that runs the steps of a policy evaluation on it (ingest → derive → did →
 * event-study → heterogeneity by matrix → a combined table), so a new user edits a study
 * that works instead of stripping down the default one.
 *
 * Data-generating process (documented in the pipeline's header): 40 units u01…u40 in two
 * groups (a: u01–u20, b: u21–u40), years 2010–2019; units u01–u10 and u21–u25 adopt the
 * policy in 2014, u11–u15 and u26–u30 in 2016, the rest never;
 *   y = α_i + λ_t + 0.5·x + 0.3·ln(size) + 0.8·D_it + ε,  ε ~ N(0, 0.5²),
 * α_i ~ N(0, 1), λ_t = 0.1·(t − 2010), x ~ N(0, 1), size ~ exp(N(3, 0.5)). The generator is
 * seeded, so every `quasi init` writes the same bytes.
 */
import { Rng } from '../stats/rng.ts'

export const STARTER_PIPELINE = `# yaml-language-server: $schema=../schema/pipeline.schema.json
#
# A starter study to edit: does the (made-up) policy raise y? The data (data/example.csv) are
# synthetic, from a known process: 40 units in groups a and b, 2010–2019; 15 units adopt in
# 2014 and 10 in 2016; y = unit effect + year trend + 0.5·x + 0.3·ln(size) + 0.8·policy + noise.
# So the baseline should find about 0.8, and no pre-trends. Replace the file and the column
# names with your own; \`quasi validate\` checks every name against the data before anything runs.
quasi: 1
name: example
title: A starter study
panel: { unit: unit, time: year }
seed: 1
stages:
  panel:
    uses: ingest
    with: { file: data/example.csv, types: { unit: string } }
    expect: [ "rows == 400", "units == 40" ]

  vars:
    uses: derive
    with:
      from: panel
      columns:
        ln_size: log(size)

  baseline:
    uses: did
    with:
      from: vars
      outcome: y
      treatment: { adoption: adopt_year }
      controls: [x, ln_size]
      fixed_effects: [unit, year]
      cluster: unit
      stepwise: true
      labels: { did: "Policy × Post", x: "Covariate x", ln_size: "ln(size)", unit: "Unit", year: "Year" }
      title: "Table 1. Baseline estimates"
    expect: [ "coef(did) > 0", "p(did) < 0.05" ]

  dynamics:
    uses: event-study
    with: { model: baseline, window: [-3, 3], title: "Figure 1. Event study" }
    expect: [ "pretrend_p > 0.05" ]

  by_group:
    uses: did
    matrix: { group: [a, b] }
    names: "\${{ matrix.group }}"
    with: { model: baseline, sample: 'group == "\${{ matrix.group }}"', stepwise: false }

  table2:
    uses: table
    with:
      columns: [baseline, by_group]
      column_labels: [All units, Group a, Group b]
      keep: [did, x, ln_size]
      title: "Table 2. Baseline and by group"

`

export function starterData(): string {
  const rng = new Rng(['quasi', 'init', 'starter'])
  const lines = ['unit,group,year,adopt_year,size,x,y']
  for (let u = 1; u <= 40; u++) {
    const r = rng.fork(u)
    const id = `u${String(u).padStart(2, '0')}`
    const group = u <= 20 ? 'a' : 'b'
    const adopt = u <= 10 || (u >= 21 && u <= 25) ? 2014 : (u >= 11 && u <= 15) || (u >= 26 && u <= 30) ? 2016 : undefined
    const alpha = r.normal()
    for (let t = 2010; t <= 2019; t++) {
      const size = Math.exp(3 + 0.5 * r.normal())
      const x = r.normal()
      const d = adopt !== undefined && t >= adopt ? 1 : 0
      const y = alpha + 0.1 * (t - 2010) + 0.5 * x + 0.3 * Math.log(size) + 0.8 * d + 0.5 * r.normal()
      lines.push(`${id},${group},${t},${adopt ?? ''},${size.toFixed(3)},${x.toFixed(4)},${y.toFixed(4)}`)
    }
  }
  return lines.join('\n') + '\n'
}
