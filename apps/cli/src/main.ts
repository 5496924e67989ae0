#!/usr/bin/env node
import { EXIT } from './errors.js'
import type { Io } from './io.js'
import { run } from './run.js'

const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  trapUncaught(listener) {
    process.on('uncaughtException', listener)
    process.on('unhandledRejection', listener)
    return () => {
      process.off('uncaughtException', listener)
      process.off('unhandledRejection', listener)
    }
  },
}

// A reader that goes away (`polysocket conformance | head`) ends the run quietly; the output is
// incomplete, so the exit code says the command could not do its job.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ERROR)
    throw error
  })
}

const code = await run(process.argv.slice(2), io)
// Exit only once both streams have flushed, so a piped report is never cut short; exiting at
// all (rather than waiting for the event loop to drain) ends a run that a backend left a handle in.
process.stdout.write('', () => {
  process.stderr.write('', () => process.exit(code))
})
