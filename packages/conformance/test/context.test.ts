import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createContext } from '../src/context.js'
import { stubBackend } from './stub-backend.js'

describe('createContext', () => {
  it('gives IPv4 loopback addresses for family 4', async () => {
    const owned = createContext(stubBackend(), 4, new AbortController().signal, false)
    const { ctx } = owned
    expect(ctx.family).toBe('AF_INET')
    expect(ctx.host).toBe('127.0.0.1')
    expect(ctx.addr()).toEqual({ family: 'inet', address: '127.0.0.1', port: 0 })
    expect(ctx.addr(4242)).toEqual({ family: 'inet', address: '127.0.0.1', port: 4242 })
    await owned.dispose()
  })

  it('gives IPv6 loopback addresses for family 6', async () => {
    const owned = createContext(stubBackend(), 6, new AbortController().signal, true)
    expect(owned.ctx.family).toBe('AF_INET6')
    expect(owned.ctx.addr(7)).toEqual({ family: 'inet6', address: '::1', port: 7 })
    expect(owned.ctx.full).toBe(true)
    await owned.dispose()
  })

  it('makes distinct Unix paths inside its temp dir and distinct abstract names', async () => {
    const owned = createContext(stubBackend(), 4, new AbortController().signal, false)
    const { ctx } = owned
    const [a, b] = [ctx.unixPath(), ctx.unixPath()]
    expect(a).not.toBe(b)
    expect(dirname(a)).toBe(ctx.tmpdir)
    expect(ctx.unixPath('named.sock')).toBe(`${ctx.tmpdir}/named.sock`)
    expect(Buffer.byteLength(a)).toBeLessThan(108)
    const name = ctx.abstractName()
    expect(name.startsWith('\0polysocket-')).toBe(true)
    expect(ctx.abstractName()).not.toBe(name)
    expect(existsSync(ctx.tmpdir)).toBe(true)
    await owned.dispose()
    expect(existsSync(ctx.tmpdir)).toBe(false)
  })

  it('keeps reported figures and refuses a figure it cannot carry', async () => {
    const owned = createContext(stubBackend(), 4, new AbortController().signal, false)
    const { ctx } = owned
    ctx.report('rss growth', 1.5, 'MiB')
    expect(owned.figures()).toEqual([{ name: 'rss growth', value: 1.5, unit: 'MiB' }])
    expect(() => ctx.report('', 1, 'calls')).toThrow(TypeError)
    expect(() => ctx.report('calls', 1, '')).toThrow(TypeError)
    expect(() => ctx.report('calls', '1' as unknown as number, 'calls')).toThrow(TypeError)
    expect(() => ctx.report('calls', Number.NaN, 'calls')).toThrow(RangeError)
    expect(() => ctx.report('calls', Number.POSITIVE_INFINITY, 'calls')).toThrow(RangeError)
    expect(owned.figures()).toHaveLength(1)
    await owned.dispose()
  })
})
