/**
 * ucode's `tostring()` for the values a script may hand to `send()`, `sendmsg()` or a resolver
 * service: strings as they are, `null`, booleans, numbers, and arrays / dictionaries in
 * ucode's own print format (`[ 1, "a" ]`, `{ "k": true }`, `[ ]`, `{ }`).
 * Source: ucode lib/socket.c, uc_socket_inst_send.
 */
export function ucodeToString(value: unknown): string {
  if (typeof value === 'string') return value
  return format(value, new Set(), false)
}

function format(value: unknown, seen: Set<object>, nested: boolean): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string':
      return nested ? JSON.stringify(value) : value
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      return formatNumber(value)
    case 'bigint':
      return value.toString()
    case 'function':
      return `function ${value.name || ''}(…) { … }`
    case 'symbol':
      return value.toString()
  }
  const object = value as object
  if (seen.has(object)) return Array.isArray(object) ? '[ ... ]' : '{ ... }'
  if (object instanceof Uint8Array) {
    const text = Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString('utf8')
    return nested ? JSON.stringify(text) : text
  }
  // Socket handles and other objects with their own text form print as that text.
  if (
    !Array.isArray(object) &&
    Object.getPrototypeOf(object) !== Object.prototype &&
    Object.getPrototypeOf(object) !== null
  ) {
    const text = String(object)
    return nested ? JSON.stringify(text) : text
  }
  seen.add(object)
  try {
    if (Array.isArray(object)) {
      if (object.length === 0) return '[ ]'
      return `[ ${object.map((item) => format(item, seen, true)).join(', ')} ]`
    }
    const entries = Object.entries(object as Record<string, unknown>)
    if (entries.length === 0) return '{ }'
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${format(v, seen, true)}`).join(', ')} }`
  } finally {
    seen.delete(object)
  }
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  if (Number.isInteger(n)) return String(n)
  // ucode prints doubles with 14 significant digits, like "%.14g".
  return String(Number(n.toPrecision(14)))
}
