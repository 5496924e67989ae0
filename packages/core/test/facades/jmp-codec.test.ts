import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeForSend, settleSendBytes } from '../../src/facades/jmp/codec.js'
import { decodeJsl, encodeJsl } from '../../src/facades/jmp/index.js'
import { firstEscape, firstEscapeByLoop, scannerKind } from '../../src/facades/jmp/scan.js'

describe('jmp ~xx codec', () => {
  it('round-trips every one of the 256 byte values, alone and together', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    for (const b of all) {
      const text = encodeJsl(Uint8Array.of(b))
      expect(decodeJsl(text)).toEqual(Buffer.of(b))
      // One printable character, or exactly one escape: no other spelling exists.
      expect(text.length === 1 || /^~[0-9a-f]{2}$/.test(text)).toBe(true)
    }
    const text = encodeJsl(all)
    expect(decodeJsl(text)).toEqual(Buffer.from(all))
    expect(decodeJsl(encodeJsl(all.toReversed()))).toEqual(Buffer.from(all.toReversed()))
  })

  it('escapes exactly the bytes that are not printable ASCII, and the tilde', () => {
    for (let b = 0; b < 256; b++) {
      const printable = b >= 0x20 && b <= 0x7d
      expect(encodeJsl(Uint8Array.of(b))).toBe(
        printable ? String.fromCharCode(b) : `~${b.toString(16).padStart(2, '0')}`,
      )
    }
    expect(encodeJsl(Buffer.from('~'))).toBe('~7e')
  })

  it("decodes the document's HTTP request to CR LF CR LF", () => {
    expect(decodeJsl('GET / HTTP/1.0~0d~0a~0d~0a').toString('latin1')).toBe('GET / HTTP/1.0\r\n\r\n')
  })

  it('reads either hex case and keeps a tilde that starts no escape', () => {
    expect(decodeJsl('~0D~0a~Ff~fF')).toEqual(Buffer.of(13, 10, 255, 255))
    expect(decodeJsl('~')).toEqual(Buffer.from('~'))
    expect(decodeJsl('a~zz~7')).toEqual(Buffer.from('a~zz~7'))
    expect(decodeJsl('~~41')).toEqual(Buffer.from('~A'))
  })

  it('sends characters above ASCII as UTF-8 and receives them escaped', () => {
    expect(decodeJsl('é€😀')).toEqual(Buffer.from('é€😀', 'utf8'))
    expect(encodeJsl(Buffer.from('é', 'utf8'))).toBe('~c3~a9')
    expect(decodeJsl('\ud800')).toEqual(Buffer.from('\ufffd', 'utf8'))
  })

  it('decode(encode(bytes)) is the identity for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(decodeJsl(encodeJsl(bytes))).toEqual(Buffer.from(bytes))
      }),
      { numRuns: 300 },
    )
  })

  it('encodes large reads without trouble', () => {
    const big = Buffer.alloc(1 << 20, 0x7e)
    const text = encodeJsl(big)
    expect(text.length).toBe(3 << 20)
    expect(decodeJsl(text).equals(big)).toBe(true)
  })
  it('finds one escape anywhere in long text-like data, at any alignment', () => {
    // Long reads take the WebAssembly scan; each escape byte must still be found where it is.
    expect(scannerKind()).toBe('wasm')
    const backing = Buffer.alloc(1100, 0x41)
    for (const offset of [0, 1, 2, 3]) {
      const text = backing.subarray(offset, offset + 1024)
      expect(encodeJsl(text)).toBe('A'.repeat(1024))
      for (const at of [0, 1, 15, 16, 63, 64, 511, 1020, 1021, 1023]) {
        for (const byte of [0x00, 0x1f, 0x7e, 0x7f, 0x80, 0xff]) {
          const copy = Buffer.from(backing).subarray(offset, offset + 1024)
          copy[at] = byte
          const escaped = `~${byte.toString(16).padStart(2, '0')}`
          expect(encodeJsl(copy)).toBe(`${'A'.repeat(at)}${escaped}${'A'.repeat(1023 - at)}`)
        }
      }
    }
  })

  it('scans reads longer than the scanner memory page by page, as the byte loop does', () => {
    const long = Buffer.alloc(3 * 65536 + 100, 0x20)
    expect(firstEscape(long)).toBe(-1)
    for (const at of [65535, 65536, 65537, 2 * 65536 + 5, 3 * 65536 + 99]) {
      const copy = Buffer.from(long)
      copy[at] = 0x7e
      expect(firstEscape(copy)).toBe(at)
      expect(firstEscapeByLoop(copy)).toBe(at)
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 3000 }), fc.nat(), (bytes, seed) => {
        // Mostly printable data with the odd byte outside, where the scan's 128-byte turns matter.
        const data = Buffer.from(bytes.map((b, i) => ((i * 7 + seed) % 97 === 0 ? b : 0x20 + (b % 94))))
        expect(firstEscape(data)).toBe(firstEscapeByLoop(data))
      }),
      { numRuns: 300 },
    )
  })
  it('finds every byte value outside 0x20–0x7d at every place in a 128-byte turn, and no other', () => {
    const base = Buffer.alloc(400, 0x5a)
    for (let byte = 0; byte < 256; byte++) {
      for (let at = 0; at < 400; at += at < 140 ? 1 : 37) {
        const copy = Buffer.from(base)
        copy[at] = byte
        const expected = byte >= 0x20 && byte <= 0x7d ? -1 : at
        if (firstEscape(copy) !== expected) expect([byte, at, firstEscape(copy)]).toEqual([byte, at, expected])
      }
    }
  })

  it('sends characters above 0xff as UTF-8 even where their low byte is printable ASCII', () => {
    // A latin1 copy would keep 0x41 of U+0141 and 0x7e of U+017E: the plain-text path must refuse them.
    for (const text of ['\u0141', 'abc\u017e', `${'Z'.repeat(70_000)}\u0141`, '\ud800A']) {
      const expected = Buffer.from(text.replace('\ud800', '\ufffd'), 'utf8')
      expect(decodeJsl(text)).toEqual(expected)
      const bytes = decodeForSend(text)
      expect(bytes).toEqual(expected)
      settleSendBytes(bytes, true)
    }
    // ASCII held two bytes per character (a slice of text that had a wide one) is still plain.
    const ascii = `\u0141${'Q'.repeat(5000)}`.slice(1)
    const bytes = decodeForSend(ascii)
    expect(bytes).toEqual(Buffer.from(ascii, 'latin1'))
    settleSendBytes(bytes, true)
    // latin1 characters 0x80–0xff go as UTF-8 too.
    expect(decodeForSend('caf\u00e9')).toEqual(Buffer.from('café', 'utf8'))
  })

  it("lends Send's kept buffer to one Send at a time, and gives it up after a failure", () => {
    const text = 'Z'.repeat(70_000)
    const first = decodeForSend(text)
    const second = decodeForSend(text)
    expect(first.equals(decodeJsl(text))).toBe(true)
    expect(second.equals(first)).toBe(true)
    expect(second.buffer).not.toBe(first.buffer)
    settleSendBytes(second, true)
    settleSendBytes(first, true)
    // Back after a send that succeeded: the next Send writes into the same memory.
    const third = decodeForSend('ok')
    expect(third.buffer).toBe(first.buffer)
    expect(third.toString()).toBe('ok')
    settleSendBytes(third, false)
    // Given up after a failure: a closed socket's backend may still hold those bytes.
    const fourth = decodeForSend('ok')
    expect(fourth.buffer).not.toBe(first.buffer)
    settleSendBytes(fourth, true)
    // Text with escapes or above ASCII is decoded on its own, never into the kept buffer.
    for (const other of ['a~0d~0ab', 'é']) {
      const bytes = decodeForSend(other)
      expect(bytes.equals(decodeJsl(other))).toBe(true)
      expect(bytes.buffer).not.toBe(fourth.buffer)
      settleSendBytes(bytes, true)
    }
  })
})
