/**
 * The stage registry: every stage kind quasi knows, in one list. A new kind is a folder
 * under stages/ plus one line here; the core never imports a stage by name.
 */
import type { StageDef } from '../src/stage.ts'
import coefplot from './coefplot/stage.ts'
import derive from './derive/stage.ts'
import describe from './describe/stage.ts'
import did from './did/stage.ts'
import eventStudy from './event-study/stage.ts'
import filter from './filter/stage.ts'
import heterogeneity from './heterogeneity/stage.ts'
import impute from './impute/stage.ts'
import ingest from './ingest/stage.ts'
import measureGie from './measure-gie/stage.ts'
import mediation from './mediation/stage.ts'
import placebo from './placebo/stage.ts'
import bacon from './bacon/stage.ts'
import eventCompare from './event-compare/stage.ts'
import saEventStudy from './sa-event-study/stage.ts'
import imputation from './imputation/stage.ts'
import csDid from './cs-did/stage.ts'
import psm from './psm/stage.ts'
import spatialWeights from './spatial-weights/stage.ts'
import moran from './moran/stage.ts'
import merge from './merge/stage.ts'
import regress from './regress/stage.ts'
import spatial from './spatial/stage.ts'
import spatialTests from './spatial-tests/stage.ts'
import table from './table/stage.ts'
import trend from './trend/stage.ts'
import coupling from './coupling/stage.ts'

export const stageKinds: readonly StageDef[] = [ingest, merge, filter, impute, derive, measureGie, did, eventStudy, saEventStudy, placebo, bacon, csDid, imputation, eventCompare, psm, mediation, heterogeneity, spatialWeights, moran, spatialTests, spatial, regress, table, coefplot, describe, trend, coupling]
