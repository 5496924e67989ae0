import { defineConformanceSuite } from '@polysocket/conformance/vitest'
import { createBackend } from '../src/index.js'

defineConformanceSuite({ name: 'backend-ffi', factory: () => createBackend() })
