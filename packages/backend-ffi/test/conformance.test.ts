import { defineConformanceSuite } from '@polysocket/conformance/vitest'
import { createBackend } from '../src/index.js'

defineConformanceSuite({ name: 'backend-ffi (koffi)', factory: () => createBackend({ engine: 'koffi' }) })
