import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

/** Shared vitest settings: tests read sibling packages' sources, so no build comes first. */
export const sharedConfig = defineConfig({
  ssr: { resolve: { conditions: ['polysocket-source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
