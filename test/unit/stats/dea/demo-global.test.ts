import { defineDemoGml, defineDemoSuite } from './demo-suite.ts'

defineDemoSuite('global')
defineDemoGml()
