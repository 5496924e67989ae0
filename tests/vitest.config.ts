import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../vitest.shared.js'

export default mergeConfig(
  sharedConfig,
  defineConfig({
    // Each file spawns compilers, npm and example programs: one file at a time keeps them from
    // competing for the machine's two cores.
    test: { fileParallelism: false, testTimeout: 120_000, hookTimeout: 120_000 },
  }),
)
