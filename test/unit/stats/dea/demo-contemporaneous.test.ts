import { defineDemoSuite } from './demo-suite.ts'

defineDemoSuite('contemporaneous')
