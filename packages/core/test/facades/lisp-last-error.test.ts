import { describe, expect, it } from 'vitest'
import { getLastSocketError, setLastSocketError, withOwnLastSocketError } from '../../src/facades/lisp/index.js'

describe('lisp *lastsocketerror*', () => {
  it('keeps two concurrent tasks apart across their awaits', async () => {
    let release: () => void = () => {}
    const bothSet = new Promise<void>((r) => {
      release = r
    })
    let set = 0
    const task = (message: string) =>
      withOwnLastSocketError(async () => {
        expect(getLastSocketError()).toBe(null)
        await Promise.resolve()
        setLastSocketError(message)
        if (++set === 2) release()
        await bothSet
        await new Promise((r) => setTimeout(r, 1))
        return getLastSocketError()
      })
    const results = await Promise.all([task('Connection refused'), task('Broken pipe')])
    expect(results).toEqual(['Connection refused', 'Broken pipe'])
    expect(getLastSocketError()).toBe(null)
  })

  it('is reset to nil by the program, and takes only strings', () => {
    withOwnLastSocketError(() => {
      setLastSocketError('Connection refused')
      expect(getLastSocketError()).toBe('Connection refused')
      setLastSocketError(null)
      expect(getLastSocketError()).toBe(null)
      setLastSocketError(42)
      expect(getLastSocketError()).toBe(null)
    })
  })

  it('shares one root slot outside every task', async () => {
    setLastSocketError('Broken pipe')
    await new Promise((r) => setTimeout(r, 1))
    expect(getLastSocketError()).toBe('Broken pipe')
    setLastSocketError(null)
  })
})
