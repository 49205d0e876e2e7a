import { defineDemoSuite } from './demo-suite.ts'

defineDemoSuite('window')
