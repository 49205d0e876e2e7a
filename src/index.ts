/**
 * The library's public API: one explicit list of named exports (`import { … } from 'quasi'`).
 * Everything not named here is internal and may change without notice.
 */
// Defining stage kinds
export { defineStage } from './stage.ts'
export type { StageDef, StageContext, StageResult, StageOutput, StageFiles, StageLog, InputFile, JsonSchema, Json, ArtifactName, ArtifactValues } from './stage.ts'
export { stageKinds } from '../stages/index.ts'

// Errors
export { QuasiError, QuasiErrors, exitStatus } from './errors.ts'
export type { ErrorCode, ExitStatus, SourcePos } from './errors.ts'

// Artifacts
export { Frame } from './artifacts/frame.ts'
export type { Column } from './artifacts/frame.ts'
export { readCsv, writeCsv } from './artifacts/csv.ts'
export { artifactKinds } from './artifacts/kinds.ts'
export type { ArtifactKind } from './artifacts/kinds.ts'
export { mainModel, term, covariance } from './artifacts/model.ts'
export type { Model, ModelSet, Term, VarianceInfo, FitStats, SampleKeys } from './artifacts/model.ts'
export { memoryOutput } from './artifacts/output.ts'

// Planning and running
export { readPipelineFile, parsePipelineText } from './pipeline/load.ts'
export { makePlan } from './pipeline/plan.ts'
export type { Plan, PlannedStage, PlanOptions } from './pipeline/plan.ts'
export { runPipeline } from './scheduler/run.ts'
export type { RunOptions, RunResult } from './scheduler/run.ts'
export type { RunEvent } from './scheduler/events.ts'
export { localExecutor } from './scheduler/executor.ts'
export type { Executor, StageJob } from './scheduler/executor.ts'
export { SlurmExecutor } from './scheduler/slurm/executor.ts'
export type { SlurmOptions } from './scheduler/slurm/executor.ts'
export { loadProfile } from './profile/load.ts'
export type { Profile, Resources } from './profile/types.ts'
export { main } from './cli/main.ts'
export { VERSION } from './version.ts'
