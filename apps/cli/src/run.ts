import { Command, CommanderError, Option } from 'commander'
import type { BackendSelection, EngineSelection } from './backends.js'
import { backendsCommand } from './commands/backends.js'
import { benchCommand, DEFAULT_DURATION_SECONDS, DEFAULT_ROUNDS } from './commands/bench.js'
import { conformanceCommand } from './commands/conformance.js'
import { reportCommand } from './commands/report.js'
import { CliError, EXIT } from './errors.js'
import type { Io } from './io.js'
import { backendOption, engineOption, parseRegex, parseRounds, parseSeconds } from './options.js'
import { version } from './version.js'

/**
 * Runs the CLI in-process: parses `argv` (the arguments after the program name), runs the
 * command, and returns the exit code ({@link EXIT}). Never exits the process and never throws:
 * every error is printed on `io.stderr` and becomes an exit code.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.OK
  const program = buildProgram(io, (result) => {
    code = result
  })
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return code
  } catch (error) {
    // --help and --version end the parse with exit code 0; usage mistakes with 1, which this
    // CLI reports as 2 so that 1 keeps meaning "a case failed".
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.ERROR
    if (error instanceof CliError) {
      io.stderr.write(`polysocket: ${error.message}\n`)
      return EXIT.ERROR
    }
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
    io.stderr.write(`polysocket: internal error: ${text}\n`)
    return EXIT.ERROR
  }
}

function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('polysocket')
  // Settings made before .command() are inherited by every subcommand.
  program
    .description("polysocket's command line: conformance suite, benchmarks, backend capabilities, reports")
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
    })
    .showHelpAfterError('(polysocket --help shows the usage)')

  program
    .command('conformance')
    .description('run the conformance suite on the installed backends')
    .addOption(backendOption())
    .addOption(engineOption())
    .option(
      '-g, --grep <regex>',
      'only case ids matching this pattern (e.g. tcp.connect.refused, ^ucode\\.)',
      parseRegex,
    )
    .option('--json <file>', 'also write every result to this file as JSON')
    .option('--full', 'full sizes for load and robustness cases (slower)')
    .action(
      async (options: {
        backend: BackendSelection
        engine: EngineSelection
        grep?: RegExp
        json?: string
        full?: boolean
      }) => {
        setCode(await conformanceCommand(options, io))
      },
    )

  program
    .command('backends')
    .description('list the installed backends (and engines) and their capabilities')
    .addOption(backendOption())
    .addOption(engineOption())
    .action(async (options: { backend: BackendSelection; engine: EngineSelection }) => {
      setCode(await backendsCommand(options, io))
    })

  program
    .command('bench')
    .description('measure throughput and latency of each backend against a node:net/node:dgram baseline')
    .addOption(backendOption())
    .addOption(engineOption())
    .option('-s, --scenario <regex>', 'only scenarios matching this pattern (e.g. ^tcp\\.)', parseRegex)
    .addOption(
      new Option('-d, --duration <seconds>', 'length of one round')
        .argParser(parseSeconds)
        .default(DEFAULT_DURATION_SECONDS),
    )
    .addOption(
      new Option('-r, --rounds <n>', 'rounds per scenario, alternating backend and baseline')
        .argParser(parseRounds)
        .default(DEFAULT_ROUNDS),
    )
    .option('--json <file>', 'also write the results to this file as JSON')
    .action(
      async (options: {
        backend: BackendSelection
        engine: EngineSelection
        scenario?: RegExp
        duration: number
        rounds: number
        json?: string
      }) => {
        setCode(await benchCommand(options, io))
      },
    )

  program
    .command('report')
    .description('make one self-contained HTML page of charts and tables from bench and conformance JSON files')
    .argument('<results...>', 'JSON files written by polysocket bench --json and polysocket conformance --json')
    .requiredOption('-o, --out <file>', 'the HTML file to write')
    .action(async (results: string[], options: { out: string }) => {
      setCode(await reportCommand(results, options, io))
    })

  return program
}
