import { InvalidArgumentError, Option } from 'commander'
import { BACKEND_NAMES, ENGINE_NAMES } from './backends.js'

/** `--backend node|ffi|all` (default `all`); any other name is a usage error. */
export function backendOption(): Option {
  return new Option('-b, --backend <name>', 'the backend to run, or all installed ones')
    .choices([...BACKEND_NAMES, 'all'])
    .default('all')
}

/** `--engine koffi|ffi-rs|all` (default `all`): which engines of backend-ffi run. */
export function engineOption(): Option {
  return new Option('-e, --engine <name>', 'the FFI engine(s) backend-ffi runs on')
    .choices([...ENGINE_NAMES, 'all'])
    .default('all')
}

/** Parses a regular expression given on the command line (no flags: ids are matched as typed). */
export function parseRegex(value: string): RegExp {
  try {
    return new RegExp(value)
  } catch (error) {
    throw new InvalidArgumentError(`Not a valid regular expression (${(error as Error).message})`)
  }
}

/** Parses `--duration`: seconds, a finite number above 0 and at most 3600. */
export function parseSeconds(value: string): number {
  const seconds = Number(value)
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new InvalidArgumentError('Expected a number of seconds above 0 and at most 3600')
  }
  return seconds
}

/** Parses `--rounds`: a whole number from 1 to 1000. */
export function parseRounds(value: string): number {
  const rounds = Number(value)
  if (!/^\d+$/.test(value.trim()) || rounds < 1 || rounds > 1000) {
    throw new InvalidArgumentError('Expected a whole number of rounds from 1 to 1000')
  }
  return rounds
}
