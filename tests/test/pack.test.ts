import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Each package as the registry would serve it: `npm pack`, the tarballs installed together into
// a scratch project in a temp dir (other dependencies from npm's cache, which the workspace's
// install filled; the registry only for what the cache lacks), then imported from ESM and from
// CommonJS, its types checked under strict NodeNext, and the CLI run. npm test builds the
// packages first (turbo: this test depends on their build).

const root = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(import.meta.url)

/** The publishable packages, their directories and the entry points their `exports` offer. */
const PACKAGES = [
  { name: '@polysocket/core', dir: 'packages/core', entries: ['', '/jmp', '/ucode', '/lisp'] },
  { name: '@polysocket/backend-node', dir: 'packages/backend-node', entries: [''] },
  { name: '@polysocket/backend-ffi', dir: 'packages/backend-ffi', entries: [''] },
  // ./vitest needs the optional peer vitest, which a scratch project without it does not have.
  { name: '@polysocket/conformance', dir: 'packages/conformance', entries: [''] },
  { name: 'polysocket', dir: 'apps/cli', entries: [] },
] as const
const ESM_ENTRIES = PACKAGES.flatMap((p) => p.entries.map((e) => `${p.name}${e}`))

let scratch = ''
const tarballs = new Map<string, string>()

function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', [...args], { cwd, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] })
}

function node(args: readonly string[]): string {
  return execFileSync(process.execPath, [...args], { cwd: scratch, encoding: 'utf8', timeout: 60_000 })
}

beforeAll(() => {
  for (const p of PACKAGES) {
    if (!existsSync(join(root, p.dir, 'dist'))) throw new Error(`${p.dir} is not built: run npm run build first`)
  }
  scratch = mkdtempSync(join(tmpdir(), 'polysocket-pack-'))
  for (const p of PACKAGES) {
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', scratch], join(root, p.dir))) as {
      filename: string
      files: { path: string }[]
    }[]
    if (!packed) throw new Error(`npm pack gave no tarball for ${p.name}`)
    tarballs.set(p.name, join(scratch, packed.filename))
  }
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }))
  npm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--no-package-lock',
      ...tarballs.values(),
    ],
    scratch,
  )
})

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

describe('packed packages', () => {
  it('pack LICENSE, README, package.json and the built files of each package, and no tests', () => {
    for (const p of PACKAGES) {
      const listing = execFileSync('tar', ['-tzf', tarballs.get(p.name) ?? ''], { encoding: 'utf8' }).split('\n')
      expect(listing, p.name).toEqual(
        expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/package.json']),
      )
      expect(listing.filter((f) => f.startsWith('package/dist/') && f.endsWith('.js')).length, p.name).toBeGreaterThan(
        0,
      )
      expect(
        listing.filter((f) => /^package\/test\//.test(f)),
        p.name,
      ).toEqual([])
      const manifest = JSON.parse(readFileSync(join(scratch, 'node_modules', p.name, 'package.json'), 'utf8'))
      expect(manifest, p.name).toMatchObject({
        license: 'MIT',
        repository: { type: 'git', directory: p.dir },
        bugs: { url: expect.stringMatching(/^https:\/\//) },
        homepage: expect.stringMatching(/^https:\/\//),
      })
      expect(manifest.keywords.length, p.name).toBeGreaterThan(0)
    }
  })

  it('import from ESM, and a backend from the tarballs echoes over loopback', () => {
    const script = `
      ${ESM_ENTRIES.map((e, i) => `import * as m${i} from '${e}'`).join('\n')}
      const loaded = [${ESM_ENTRIES.map((_, i) => `Object.keys(m${i}).length`).join(', ')}]
      const backend = m${ESM_ENTRIES.indexOf('@polysocket/backend-node')}.createBackend()
      const server = await backend.socket('AF_INET', 'SOCK_STREAM')
      await server.bind({ family: 'inet', address: '127.0.0.1', port: 0 })
      await server.listen()
      const client = await backend.socket('AF_INET', 'SOCK_STREAM')
      await client.connect(server.localAddress(), { timeoutMs: 5000 })
      const { socket: peer } = await server.accept()
      await client.send('packed')
      const { data } = await peer.recv(64)
      await Promise.all([client.close(), peer.close(), server.close()])
      console.log(JSON.stringify({ loaded, echoed: data.toString() }))
    `
    writeFileSync(join(scratch, 'esm.mjs'), script)
    const result = JSON.parse(node(['esm.mjs']))
    expect(result.echoed).toBe('packed')
    expect(
      result.loaded.every((n: number) => n > 0),
      JSON.stringify(result.loaded),
    ).toBe(true)
  })

  it('are ESM-only: require() loads them where Node can require ES modules, else says why', () => {
    // The packages ship ES modules alone (no "require" condition). Node 20.19+ and 22.12+, the
    // engines they name, load an ES module without top-level await through require().
    const script = `
      const out = {}
      for (const name of ${JSON.stringify(ESM_ENTRIES)}) {
        try { out[name] = Object.keys(require(name)).length > 0 ? 'loaded' : 'empty' }
        catch (error) { out[name] = error.code ?? error.message }
      }
      console.log(JSON.stringify(out))
    `
    writeFileSync(join(scratch, 'cjs.cjs'), script)
    const result = JSON.parse(node(['cjs.cjs'])) as Record<string, string>
    const expected = process.features.require_module ? 'loaded' : 'ERR_REQUIRE_ESM'
    expect(result).toEqual(Object.fromEntries(ESM_ENTRIES.map((e) => [e, expected])))
  })

  it('resolve their types under strict NodeNext (tsc --noEmit in the scratch project)', () => {
    writeFileSync(
      join(scratch, 'index.ts'),
      `${ESM_ENTRIES.map((e, i) => `import * as m${i} from '${e}'`).join('\n')}
import type { Backend, Socket } from '@polysocket/core'
import { createBackend } from '@polysocket/backend-node'
import { createUcode } from '@polysocket/core/ucode'
import { defineConformanceSuite } from '@polysocket/conformance/vitest'

const backend: Backend = createBackend()
const socket: Promise<Socket> = backend.socket('AF_INET', 'SOCK_STREAM')
const ucode = createUcode(backend)
const sock = await ucode.create(ucode.AF_INET, ucode.SOCK_STREAM)
const closed: Promise<true | null> | undefined = sock?.close()
export { closed, defineConformanceSuite, socket, ${ESM_ENTRIES.map((_, i) => `m${i}`).join(', ')} }
`,
    )
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
          noEmit: true,
          // The packages' own .d.ts files are checked too, as a user with this setting sees them.
          skipLibCheck: false,
        },
        files: ['index.ts'],
      }),
    )
    let output = ''
    try {
      node([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'])
    } catch (error) {
      const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string }
      output = `${stdout ?? ''}${stderr ?? ''}` || message
    }
    expect(output).toBe('')
  })

  it('install the polysocket bin, which runs the built CLI', () => {
    const output = execFileSync(join(scratch, 'node_modules/.bin/polysocket'), ['backends'], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(output).toMatch(/│ tcp\s+│ yes/)
  })
})
