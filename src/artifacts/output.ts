/** A StageOutput held in memory (for library users and tests that call a stage directly). */
import type { ArtifactName, ArtifactValues } from './kinds.ts'
import type { StageOutput } from '../stage.ts'

export function memoryOutput(stage: string, kind: string, artifacts: Partial<ArtifactValues>, facts: Record<string, number> = {}): StageOutput {
  return {
    stage,
    kind,
    facts,
    files: [],
    frame: artifacts.frame,
    data: artifacts.data,
    artifact: <K extends ArtifactName>(name: K) => artifacts[name] as ArtifactValues[K] | undefined,
  }
}
