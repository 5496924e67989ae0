import MarkdownIt from 'markdown-it'

/**
 * What the test does with one README code example, as its marker says:
 *
 * - `run`: type-check it, then run it (loopback only; it must end by itself).
 * - `typecheck`: type-check it only; the marker says why it cannot run here (it needs a server
 *   on a fixed port, it runs forever, it is a file of a test suite).
 */
export type ExampleMode = 'run' | 'typecheck'

/** One TypeScript or JavaScript code block of a Markdown file. */
export interface Example {
  /** The Markdown file, relative to the repository root. */
  readonly file: string
  /** 1-based line of the code's first line in `file`. */
  readonly line: number
  readonly lang: 'ts' | 'js'
  readonly mode: ExampleMode
  /** For `typecheck`: why the example does not run. */
  readonly why?: string
  readonly code: string
}

/** A code block that should be an example but whose marker is missing or unreadable. */
export interface Unmarked {
  readonly file: string
  readonly line: number
  readonly problem: string
}

const LANGS: Readonly<Record<string, 'ts' | 'js'>> = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js' }

/** `<!-- example: run -->` or `<!-- example: typecheck — why -->` right before the fence. */
const MARKER = /^<!--\s*example:\s*(run|typecheck)\b\s*(?:[—:-]\s*([\s\S]*?))?\s*-->\s*$/

/** The Markdown parser: markdown-it's token stream gives each fence its language and lines. */
const markdown = new MarkdownIt({ html: true })

/**
 * The TypeScript and JavaScript code blocks of one Markdown file. Each must follow a marker
 * comment, `<!-- example: run -->` or `<!-- example: typecheck — why it does not run -->`
 * (invisible on a rendered page); a block without one is returned in `unmarked`, so that no
 * example escapes the test.
 */
export function extractExamples(file: string, text: string): { examples: Example[]; unmarked: Unmarked[] } {
  const tokens = markdown.parse(text, {})
  const examples: Example[] = []
  const unmarked: Unmarked[] = []
  tokens.forEach((token, index) => {
    if (token.type !== 'fence') return
    const lang = LANGS[token.info.trim().split(/\s+/, 1)[0] ?? '']
    if (lang === undefined) return
    // map is [first line, line after the block], 0-based, the fence lines included.
    const line = (token.map?.[0] ?? 0) + 2
    const previous = tokens[index - 1]
    const marker = previous?.type === 'html_block' ? MARKER.exec(previous.content.trim()) : null
    if (marker === null) {
      unmarked.push({ file, line, problem: 'no <!-- example: run --> or <!-- example: typecheck — why --> before it' })
      return
    }
    const mode = marker[1] as ExampleMode
    const why = marker[2]?.trim()
    if (mode === 'typecheck' && !why) {
      unmarked.push({ file, line, problem: 'a typecheck-only example must say why it does not run' })
      return
    }
    examples.push({ file, line, lang, mode, ...(why ? { why } : {}), code: token.content })
  })
  return { examples, unmarked }
}

/** A file name for an example, unique in the repository and readable in diagnostics. */
export function exampleFileName(example: Example): string {
  const stem = example.file.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  return `${stem}_L${example.line}.${example.lang}`
}

/**
 * Rewrites the file positions in a compiler's output (`name.ts(3,7)`) to the Markdown file and
 * line the example came from (`packages/core/README.md:19:7`).
 */
export function toMarkdownPositions(output: string, examples: readonly Example[]): string {
  const byName = new Map(examples.map((e) => [exampleFileName(e), e]))
  return output.replace(
    /([A-Za-z0-9_]+_L\d+\.(?:ts|js))\((\d+),(\d+)\)/g,
    (whole, name: string, l: string, c: string) => {
      const example = byName.get(name)
      return example ? `${example.file}:${example.line + Number(l) - 1}:${c}` : whole
    },
  )
}
