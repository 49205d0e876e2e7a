/** Profiles: where a run executes and with what resources, kept out of the pipeline file. */

/** What one SLURM job asks for. Every field is optional: the cluster's defaults apply. */
export interface Resources {
  /** `--partition` */
  readonly partition?: string
  /** `--account` */
  readonly account?: string
  /** `--qos` */
  readonly qos?: string
  /** `--time`, as SLURM writes it: `MM`, `HH:MM:SS`, `D-HH:MM:SS` … */
  readonly time?: string
  /** `--mem` per job: `4G`, `500M`, `16000` (MB). */
  readonly memory?: string
  /** `--cpus-per-task`; stages that compute on several threads lease this many. */
  readonly cpus?: number
  /** Stages of one kind packed into one array task (many small `matrix:` instances). Default 1. */
  readonly stages_per_task?: number
  /** Further `#SBATCH` options, written as they are (`--constraint=avx2`). */
  readonly sbatch?: readonly string[]
}

/** One named profile as written in quasi.profile.yaml. */
export interface ProfileFile {
  readonly executor?: 'local' | 'slurm'
  /** Jobs submitted and not yet finished, at most (slurm); stages at once (local). */
  readonly jobs?: number
  /** Seconds between two polls of squeue/sacct (slurm). Default 2. */
  readonly poll_seconds?: number
  readonly defaults?: Resources
  /** By stage kind: `measure-gie: { cpus: 8, memory: 16G }`. */
  readonly kinds?: Readonly<Record<string, Resources>>
  /** By stage name (or a matrix template's name, for all its instances). */
  readonly stages?: Readonly<Record<string, Resources>>
}

/** The profile a run uses, resolved: the executor and the resources of each stage. */
export interface Profile {
  readonly name: string
  readonly executor: 'local' | 'slurm'
  readonly jobs?: number
  readonly pollMs: number
  /** Resources for a stage: defaults, then its kind, then its template, then its name. */
  resources(stage: { readonly name: string; readonly kind: string; readonly template?: string }): Resources
}
