/**
 * Measures the figures quoted in the package README: socketpair ping-pong round trips (this
 * backend vs node:net on a Unix path) and the cost per operation, for each engine. Run from
 * the package: `node --import tsx --conditions polysocket-source scripts/measure.ts [rounds]`.
 */
import { createServer, type Socket as NetSocket, connect as netConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REGION } from '../src/arena.js'
import { loadEngine } from '../src/engine/load.js'
import { createBackend, ENGINE_NAMES, type EngineName } from '../src/index.js'
import { runtimeOf } from '../src/runtime.js'

const rounds = Number(process.argv[2] ?? 20000)
const payload = Buffer.alloc(64, 0x61)

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN
}
const us = (ms: number) => (ms * 1000).toFixed(1)

async function ffiPingPong(engine: EngineName): Promise<number[]> {
  const backend = createBackend({ engine })
  const [a, b] = await backend.socketpair('AF_UNIX', 'SOCK_STREAM')
  const echo = (async () => {
    for (let i = 0; i < rounds + 1000; i++) {
      const { data } = await b.recv(64)
      await b.send(data)
    }
  })()
  const samples: number[] = []
  for (let i = 0; i < rounds + 1000; i++) {
    const t = performance.now()
    await a.send(payload)
    let got = 0
    while (got < 64) got += (await a.recv(64 - got)).data.length
    if (i >= 1000) samples.push(performance.now() - t)
  }
  await echo
  await a.close()
  await b.close()
  return samples
}

async function netPingPong(): Promise<number[]> {
  const path = join(tmpdir(), `polysocket-measure-${process.pid}.sock`)
  const server = createServer((s) => s.on('data', (d) => s.write(d)))
  await new Promise<void>((r) => server.listen(path, r))
  const client: NetSocket = netConnect(path)
  await new Promise<void>((r) => client.once('connect', r))
  client.setNoDelay(true)
  const samples: number[] = []
  let got = 0
  let resolve: (() => void) | undefined
  client.on('data', (d) => {
    got += d.length
    if (got >= 64 && resolve) {
      got -= 64
      const r = resolve
      resolve = undefined
      r()
    }
  })
  for (let i = 0; i < rounds + 1000; i++) {
    const t = performance.now()
    await new Promise<void>((r) => {
      resolve = r
      client.write(payload)
    })
    if (i >= 1000) samples.push(performance.now() - t)
  }
  client.destroy()
  await new Promise((r) => server.close(r))
  return samples
}

async function perOp(engine: EngineName): Promise<Record<string, number>> {
  const n = 20000
  const backend = createBackend({ engine })
  const [a, b] = await backend.socketpair('AF_UNIX', 'SOCK_STREAM')
  const out: Record<string, number> = {}
  const status = loadEngine(engine)
  if (!('engine' in status)) throw status.error
  const { libc, arena } = runtimeOf(status.engine)
  const { address } = arena
  let t = performance.now()
  for (let i = 0; i < n; i++) {
    libc.send(a.fd, address + REGION.data, 64, 0x4040)
    libc.recv(b.fd, address + REGION.data, 64, 0x40)
  }
  out['raw send(2) + recv(2) through the engine, for reference'] = ((performance.now() - t) / n) * 1000
  t = performance.now()
  for (let i = 0; i < n; i++) {
    await a.send(payload)
    await b.recv(64)
  }
  out['send 64 B + recv 64 B (no wait)'] = ((performance.now() - t) / n) * 1000
  b.setNonBlocking(true)
  t = performance.now()
  for (let i = 0; i < n; i++) await b.recv(64).catch(() => undefined)
  out['recv → EAGAIN (non-blocking)'] = ((performance.now() - t) / n) * 1000
  t = performance.now()
  for (let i = 0; i < n; i++) b.getOption('SOL_SOCKET', 'SO_RCVBUF')
  out['getOption SO_RCVBUF'] = ((performance.now() - t) / n) * 1000
  t = performance.now()
  for (let i = 0; i < n / 4; i++) await (await backend.socket('AF_INET', 'SOCK_STREAM')).close()
  out['socket + close'] = ((performance.now() - t) / (n / 4)) * 1000
  await a.close()
  await b.close()
  return out
}

console.log(`rounds: ${rounds} (after 1,000 warm-up), 64-byte messages, one process`)
const net = await netPingPong()
console.log(`node:net Unix ping-pong RTT: p50 ${us(pct(net, 50))} µs, p99 ${us(pct(net, 99))} µs`)
for (const engine of ENGINE_NAMES) {
  const ffi = await ffiPingPong(engine)
  console.log(`ffi (${engine}) socketpair ping-pong RTT: p50 ${us(pct(ffi, 50))} µs, p99 ${us(pct(ffi, 99))} µs`)
  for (const [k, v] of Object.entries(await perOp(engine))) console.log(`  ${engine} ${k}: ${v.toFixed(2)} µs`)
}
