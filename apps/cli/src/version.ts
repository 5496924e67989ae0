import { readFileSync } from 'node:fs'

// src/ and dist/ both sit one level below the package root, so one relative URL serves both.
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown }

/** The CLI's version, from its package.json. */
export const version: string = typeof manifest.version === 'string' ? manifest.version : '0.0.0'
