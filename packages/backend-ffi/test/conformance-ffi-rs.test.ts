import { defineConformanceSuite } from '@polysocket/conformance/vitest'
import { createBackend } from '../src/index.js'

defineConformanceSuite({ name: 'backend-ffi (ffi-rs)', factory: () => createBackend({ engine: 'ffi-rs' }) })
