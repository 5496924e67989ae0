import { ipBatchForce, runIp } from './ip-command.js'
import { metricOwner, netnsOwner, ROUTE_PROTO } from './names.js'

/** A route a link added, as `ip route show proto …` lists it. */
export interface MarkedRoute {
  /** The `ip route del` arguments that remove exactly this route. */
  readonly del: string
  readonly metric: number
}

/** Every namespace name (`ip netns list`). */
export async function netnsNames(): Promise<string[]> {
  const { stdout } = await runIp(['netns', 'list'])
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '')
}

/** Every interface name of this process's namespace (`ip -o link show`). */
export async function interfaceNames(): Promise<string[]> {
  const { stdout } = await runIp(['-o', 'link', 'show'])
  const names: string[] = []
  for (const line of stdout.split('\n')) {
    // "7: pslab12001a@if2: <BROADCAST,…": the name ends at "@" or ":".
    const m = /^\d+:\s+([^:@\s]+)/.exec(line)
    if (m?.[1]) names.push(m[1])
  }
  return names
}

/** Every route carrying the links' `proto` mark, in the main and local tables of both families. */
export async function markedRoutes(): Promise<MarkedRoute[]> {
  const routes: MarkedRoute[] = []
  for (const family of ['-4', '-6']) {
    for (const table of ['main', 'local']) {
      const { stdout } = await runIp([family, 'route', 'show', 'table', table, 'proto', String(ROUTE_PROTO)])
      for (const line of stdout.split('\n')) {
        const m = /^throw (\S+) .*\bmetric (\d+)/.exec(line)
        if (!m?.[1] || !m[2]) continue
        const prefix = m[1].includes('/') ? m[1] : `${m[1]}/${m[1].includes(':') ? 128 : 32}`
        routes.push({
          del: `route del throw ${prefix} table ${table} proto ${ROUTE_PROTO} metric ${m[2]}`,
          metric: Number(m[2]),
        })
      }
    }
  }
  return routes
}

/** Whether process `pid` still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** SIGKILLs every process inside a namespace: only a link's own peers ever run there. */
export async function killInside(netns: string): Promise<void> {
  const { stdout } = await runIp(['netns', 'pids', netns])
  for (const pid of stdout.split('\n').map(Number)) {
    if (Number.isInteger(pid) && pid > 1 && pid !== process.pid) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  }
}

let swept: Promise<void> | undefined

/**
 * Removes what links of dead processes left behind (a run killed with SIGKILL cannot clean up):
 * their namespaces (which takes their veth pairs with them) and their routes. A live run's
 * links are never touched. Once per process.
 */
export function sweepDeadRuns(): Promise<void> {
  swept ??= sweep()
  return swept
}

async function sweep(): Promise<void> {
  for (const name of await netnsNames()) {
    const owner = netnsOwner(name)
    if (owner === undefined || owner === process.pid || alive(owner)) continue
    await killInside(name)
    await ipBatchForce([`netns del ${name}`])
  }
  const stale = (await markedRoutes()).filter(
    (r) => metricOwner(r.metric) !== process.pid && !alive(metricOwner(r.metric)),
  )
  await ipBatchForce(stale.map((r) => r.del))
}
