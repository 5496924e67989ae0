import { readFile } from 'node:fs/promises'

let table: Promise<Map<string, number | string>> | undefined

/**
 * Resolves a service name to a port number through /etc/services (services(5)), the file
 * getaddrinfo(3) reads; `undefined` when the name is unknown or the file is missing.
 *
 * @param protocol - `tcp` or `udp`.
 */
export async function servicePort(name: string, protocol: 'tcp' | 'udp'): Promise<number | undefined> {
  table ??= load()
  return (await table).get(`${name}/${protocol}`) as number | undefined
}

/**
 * The name /etc/services gives a port, for getnameinfo(3); `undefined` when it has none.
 *
 * @param protocol - `tcp` or `udp` (NI_DGRAM).
 */
export async function serviceName(port: number, protocol: 'tcp' | 'udp'): Promise<string | undefined> {
  table ??= load()
  return (await table).get(`#${port}/${protocol}`) as string | undefined
}

/** Keys `name/proto` map to ports; keys `#port/proto` map to the first name listed. */
async function load(): Promise<Map<string, number | string>> {
  const map = new Map<string, number | string>()
  let text = ''
  try {
    text = await readFile('/etc/services', 'utf8')
  } catch {
    return map
  }
  for (const line of text.split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/)
    const [name, portProto, ...aliases] = fields
    const m = /^(\d+)\/(tcp|udp)$/.exec(portProto ?? '')
    if (!name || !m) continue
    if (!map.has(`#${m[1]}/${m[2]}`)) map.set(`#${m[1]}/${m[2]}`, name)
    for (const n of [name, ...aliases]) {
      const key = `${n}/${m[2]}`
      if (!map.has(key)) map.set(key, Number(m[1]))
    }
  }
  return map
}
