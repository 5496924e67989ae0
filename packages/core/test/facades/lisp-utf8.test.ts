import { describe, expect, it } from 'vitest'
import {
  encodeCodePoint,
  incompleteTail,
  NEED_MORE,
  REJECTED,
  REPLACEMENT,
  Utf8Decoder,
} from '../../src/facades/lisp/utf8.js'

/** Decodes a whole byte string with the automaton, the way read-char walks the buffer. */
function decodeAll(bytes: Uint8Array): number[] {
  const out: number[] = []
  const d = new Utf8Decoder()
  let i = 0
  let guard = 0
  while (i < bytes.length && guard++ < 10 * bytes.length + 10) {
    const r = d.push(bytes[i] as number)
    if (r === REJECTED) {
      out.push(REPLACEMENT)
      continue
    }
    i++
    if (r !== NEED_MORE) out.push(r)
  }
  if (d.pending) out.push(REPLACEMENT)
  return out
}

const codePoints = (s: string): number[] => [...s].map((c) => c.codePointAt(0) as number)

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('lisp UTF-8 automaton', () => {
  it('decodes one to four byte characters into one code point each', () => {
    expect(decodeAll(Buffer.from('a€é😀', 'utf8'))).toEqual([0x61, 0x20ac, 0xe9, 0x1f600])
  })

  it('reports NEED_MORE until the last byte of a sequence', () => {
    const d = new Utf8Decoder()
    expect(d.push(0xe2)).toBe(NEED_MORE)
    expect(d.pending).toBe(true)
    expect(d.push(0x82)).toBe(NEED_MORE)
    expect(d.push(0xac)).toBe(0x20ac)
    expect(d.pending).toBe(false)
  })

  it('forgets a pending sequence on reset (the timeout rule of read-char)', () => {
    const d = new Utf8Decoder()
    d.push(0xe2)
    d.reset()
    expect(d.pending).toBe(false)
    expect(d.push(0x41)).toBe(0x41)
  })

  it('rejects a byte that cannot continue a sequence without taking it', () => {
    const d = new Utf8Decoder()
    expect(d.push(0xe2)).toBe(NEED_MORE)
    expect(d.push(0x41)).toBe(REJECTED)
    expect(d.pending).toBe(false)
    expect(d.push(0x41)).toBe(0x41)
  })

  it('refuses overlong forms, surrogates and code points past U+10FFFF', () => {
    expect(decodeAll(Uint8Array.of(0xc0, 0xaf))).toEqual([REPLACEMENT, REPLACEMENT])
    expect(decodeAll(Uint8Array.of(0xe0, 0x80, 0xaf))).toEqual([REPLACEMENT, REPLACEMENT, REPLACEMENT])
    expect(decodeAll(Uint8Array.of(0xed, 0xa0, 0x80))).toEqual([REPLACEMENT, REPLACEMENT, REPLACEMENT])
    expect(decodeAll(Uint8Array.of(0xf4, 0x90, 0x80, 0x80))).toEqual(Array(4).fill(REPLACEMENT))
    expect(decodeAll(Uint8Array.of(0xff))).toEqual([REPLACEMENT])
  })

  it('agrees with TextDecoder on 2,000 random byte strings', () => {
    const next = random(20081129)
    const decoder = new TextDecoder()
    for (let n = 0; n < 2000; n++) {
      const length = Math.floor(next() * 12)
      // Bias towards the interesting bytes: lead bytes, continuations and ASCII.
      const pool = [
        0x41, 0x7f, 0x80, 0xbf, 0x9f, 0xa0, 0x8f, 0x90, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xc0,
      ]
      const bytes = Uint8Array.from({ length }, () =>
        next() < 0.5 ? (pool[Math.floor(next() * pool.length)] as number) : Math.floor(next() * 256),
      )
      expect(decodeAll(bytes), Buffer.from(bytes).toString('hex')).toEqual(codePoints(decoder.decode(bytes)))
    }
  })

  it('measures the incomplete tail read-string keeps for the next read', () => {
    expect(incompleteTail(Buffer.from('abc'))).toBe(0)
    expect(incompleteTail(Buffer.from('ab€'))).toBe(0)
    expect(incompleteTail(Uint8Array.of(0x61, 0xe2, 0x82))).toBe(2)
    expect(incompleteTail(Uint8Array.of(0xe2))).toBe(1)
    expect(incompleteTail(Uint8Array.of(0xf0, 0x9f, 0x98))).toBe(3)
    // Not the start of a valid sequence: nothing to wait for.
    expect(incompleteTail(Uint8Array.of(0x61, 0x82))).toBe(0)
    expect(incompleteTail(Uint8Array.of(0xe0, 0x80))).toBe(0)
    expect(incompleteTail(new Uint8Array(0))).toBe(0)
  })

  it('encodes code points and refuses what is not a scalar value', () => {
    expect(encodeCodePoint(8364)).toEqual(Buffer.from([0xe2, 0x82, 0xac]))
    expect(encodeCodePoint(0x1f600)).toEqual(Buffer.from('😀'))
    expect(() => encodeCodePoint(0xd800)).toThrow(RangeError)
    expect(() => encodeCodePoint(0x110000)).toThrow(RangeError)
    expect(() => encodeCodePoint(-1)).toThrow(RangeError)
    expect(() => encodeCodePoint(1.5)).toThrow(RangeError)
  })
})
