/**
 * The script of the EMFILE case's child process, run as `node --input-type=module -e` under a
 * low RLIMIT_NOFILE. Arguments: the backend's package name, the loopback host, the family
 * (`AF_INET` or `AF_INET6`) and how many sockets to close before trying again.
 *
 * It opens TCP listeners (socket, bind, listen: every backend holds an fd by then) until one
 * fails, closes a few, runs a TCP echo, closes everything and prints one JSON line,
 * `RESULT {module, opened, failure: {name, code, syscall, message}, echo, echoError, fdsBefore, fdsAfter}`:
 * `module` is the file the backend was loaded from, and the fd counts are of sockets only (a
 * backend may keep an epoll or event fd).
 * Each await is bounded: the loop by its count and the parent by killing the child at its
 * time limit.
 */
export const EMFILE_CHILD_SCRIPT = `
import { readdirSync, readlinkSync } from 'node:fs'
const [pkg, host, family, freeCount] = process.argv.slice(1)
const { createBackend } = await import(pkg)
const backend = createBackend()
const addr = (port) => ({ family: family === 'AF_INET6' ? 'inet6' : 'inet', address: host, port })
const isSocket = (n) => {
  try {
    return readlinkSync('/proc/self/fd/' + n).startsWith('socket:')
  } catch {
    return false
  }
}
const fds = () => readdirSync('/proc/self/fd').filter(isSocket).length
const settle = () => new Promise((resolve) => setTimeout(resolve, 50))
const describe = (e) => ({ name: e?.name, code: e?.code, syscall: e?.syscall, message: String(e?.message ?? e) })
const result = { module: import.meta.resolve(pkg), opened: 0, failure: null, echo: null, echoError: null, fdsBefore: fds(), fdsAfter: -1 }
const open = []
for (let i = 0; i < 4096 && result.failure === null; i++) {
  let s
  try {
    s = await backend.socket(family, 'SOCK_STREAM')
    await s.bind(addr(0))
    await s.listen(1)
    open.push(s)
  } catch (e) {
    result.failure = describe(e)
    if (s) await s.close()
  }
}
result.opened = open.length
for (const s of open.splice(0, Number(freeCount))) await s.close()
await settle()
const made = []
try {
  const listener = await backend.socket(family, 'SOCK_STREAM')
  made.push(listener)
  await listener.bind(addr(0))
  await listener.listen(1)
  const client = await backend.socket(family, 'SOCK_STREAM')
  made.push(client)
  const accepting = listener.accept()
  await client.connect(listener.localAddress(), { timeoutMs: 5000 })
  const { socket: server } = await accepting
  made.push(server)
  await client.send('ping after EMFILE')
  let text = ''
  for (let i = 0; i < 100 && text.length < 17; i++) {
    const { data } = await server.recv(64)
    if (data.length === 0) break
    text += data.toString()
  }
  result.echo = text
} catch (e) {
  result.echoError = describe(e)
}
for (const s of [...made, ...open]) await s.close()
for (let i = 0; i < 40 && fds() > result.fdsBefore; i++) await settle()
result.fdsAfter = fds()
console.log('RESULT ' + JSON.stringify(result))
`
