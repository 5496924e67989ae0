/**
 * What a promise per datagram costs by itself: the `udp.rate` workload written on bare
 * node:dgram with the contract scenario's shape (one promise per send, one per recv, the same
 * window, burst and receive loop) and nothing else, against the scenario's callback baseline,
 * alternately in one process. Any socket API whose send and recv return promises pays at
 * least this; the throughput README compares backend-node's `udp.rate` with it.
 *
 * Built packages under plain node (tsx's keepNames would wrap the closures made per call):
 * `npm run build && node packages/conformance/scripts/udp-promise-floor.mjs [rounds] [seconds]`
 */
import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { SocketError } from '@polysocket/core'
import { dgramRate } from '../dist/throughput/baseline/dgram-rate.js'
import {
  burstSender,
  DATAGRAM_BYTES,
  DRAIN_MS,
  FLOW_WINDOW,
  paced,
  receiveAll,
} from '../dist/throughput/scenarios/udp-rate.js'
import { UdpWindow } from '../dist/throughput/scenarios/udp-window.js'
import { median } from '../dist/throughput/stats.js'

/** recv as a promise on a node:dgram socket: a queue, one waiter, EAGAIN after DRAIN_MS of quiet. */
function promisedRecv(socket) {
  const queue = []
  let waiter
  socket.on('message', (message) => {
    if (waiter === undefined) {
      queue.push(message)
      return
    }
    const w = waiter
    waiter = undefined
    clearTimeout(w.timer)
    w.resolve(message)
  })
  return () => {
    const queued = queue.shift()
    if (queued !== undefined) return Promise.resolve(queued)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = undefined
        reject(new SocketError('EAGAIN', { syscall: 'recv' }))
      }, DRAIN_MS)
      waiter = { resolve, reject, timer }
    })
  }
}

async function promiseFloor(ctx) {
  const receiver = createSocket('udp4')
  ctx.onCleanup(() => receiver.close())
  receiver.bind(0, '127.0.0.1')
  await once(receiver, 'listening')
  const sender = createSocket('udp4')
  ctx.onCleanup(() => sender.close())
  sender.connect(receiver.address().port, '127.0.0.1')
  await once(sender, 'connect')
  const window = new UdpWindow(FLOW_WINDOW)
  const reading = receiveAll(window, promisedRecv(receiver), () => 1)
  const payload = Buffer.alloc(DATAGRAM_BYTES, 0x75)
  const send = () =>
    new Promise((resolve, reject) => sender.send(payload, (error) => (error ? reject(error) : resolve(64))))
  return paced(ctx, window, burstSender(send), () => reading)
}

async function measure(run, ms) {
  const cleanups = []
  const ctx = {
    durationMs: ms,
    tmpdir: '',
    signal: new AbortController().signal,
    onCleanup: (f) => cleanups.push(f),
  }
  try {
    return (await run(ctx)).value
  } finally {
    for (const f of cleanups.reverse()) await f()
  }
}

const rounds = Math.max(1, Math.min(20, Number(process.argv[2] ?? 5)))
const ms = Math.max(200, Math.min(10_000, Number(process.argv[3] ?? 2) * 1000))
const floor = []
const callbacks = []
for (let i = 0; i < rounds; i++) {
  floor.push(await measure(promiseFloor, ms))
  callbacks.push(await measure(dgramRate, ms))
}
const f = median(floor)
const c = median(callbacks)
console.log(
  `promises ${Math.round(f)} datagrams/s, callbacks ${Math.round(c)} datagrams/s, ratio ${(f / c).toFixed(3)}`,
)
