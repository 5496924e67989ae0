import type { Socket as NetSocket } from 'node:net'
import { notSupported, type OptionTarget, type OptionValue } from '@polysocket/core'
import { optionKey, unmappedOption } from './options.js'

/**
 * getsockopt(2) of the SOL_SOCKET options every stream socket here answers: SO_KEEPALIVE,
 * SO_LINGER, SO_REUSEADDR, from the stored values (Node has no getters) or the kernel's defaults.
 * @throws SocketError `POLYSOCKET_NOT_SUPPORTED` for any other option.
 */
export function getSocketLevelOption(target: OptionTarget, stored: ReadonlyMap<string, OptionValue>): OptionValue {
  switch (target.spec ? optionKey(target) : '') {
    case 'SOL_SOCKET/SO_KEEPALIVE':
      return stored.get('SOL_SOCKET/SO_KEEPALIVE') ?? false
    case 'SOL_SOCKET/SO_LINGER':
      return stored.get('SOL_SOCKET/SO_LINGER') ?? { onoff: false, linger: 0 }
    case 'SOL_SOCKET/SO_REUSEADDR':
      return stored.get('SOL_SOCKET/SO_REUSEADDR') ?? false
  }
  throw unmappedOption(target, 'getsockopt')
}

/**
 * setsockopt(2) of the same options: stores the value and applies it to the connected Node
 * socket when there is one (a later one gets it when it connects or is accepted).
 * @throws SocketError `POLYSOCKET_NOT_SUPPORTED` for SO_LINGER with a non-zero timeout and
 * for any other option.
 */
export function setSocketLevelOption(
  target: OptionTarget,
  value: OptionValue,
  store: (key: string, value: OptionValue) => void,
  socket: NetSocket | undefined,
): void {
  const key = target.spec ? optionKey(target) : ''
  switch (key) {
    case 'SOL_SOCKET/SO_KEEPALIVE':
      store(key, value)
      socket?.setKeepAlive(value as boolean)
      return
    case 'SOL_SOCKET/SO_LINGER': {
      const linger = value as { onoff: boolean; linger: number }
      // Node can reset (linger 0) or close normally; it cannot make close wait for a time.
      if (linger.onoff && linger.linger !== 0) throw notSupported('SO_LINGER with a non-zero timeout', 'setsockopt')
      store(key, value)
      return
    }
    case 'SOL_SOCKET/SO_REUSEADDR':
      // libuv sets SO_REUSEADDR on every TCP bind; the value is kept for getsockopt only.
      store(key, value)
      return
  }
  throw unmappedOption(target, 'setsockopt')
}
