import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { displayName } from './fields.js';
import { nameForbiddenCharacters, namePattern } from './vocabulary.js';

/** Every code point the forbidden class names, from its ranges (`\uXXXX` or `\uXXXX-\uXXXX`). */
function forbiddenCodePoints(): number[] {
  const points: number[] = [];
  for (const [, from, to] of nameForbiddenCharacters.matchAll(/\\u([0-9A-F]{4})(?:-\\u([0-9A-F]{4}))?/g)) {
    const start = parseInt(from as string, 16);
    for (let c = start; c <= parseInt(to ?? (from as string), 16); c += 1) points.push(c);
  }
  return points;
}

describe('names (namePattern, displayName)', () => {
  const forbidden = forbiddenCodePoints();
  const plain = fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(...'abcXYZ019 -_.ÄéßØ名前監視'.split('')) }).filter((s) => s.trim() === s);

  test('the class covers NUL and the C0/C1 controls, the bidi controls and the zero-width characters', () => {
    for (const c of [0x00, 0x09, 0x0a, 0x1b, 0x7f, 0x85, 0x9f, 0x200b, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069, 0xfeff]) assert.ok(forbidden.includes(c), c.toString(16));
    assert.ok(!forbidden.includes(0x20) && !forbidden.includes(0xa0) && !forbidden.includes(0xe9));
  });

  test('a name with any forbidden character anywhere is refused, by the JavaScript and the Unicode (OpenAPI) reading alike', () => {
    const patterns = [new RegExp(namePattern), new RegExp(namePattern, 'u')];
    fc.assert(
      fc.property(plain, fc.constantFrom(...forbidden), fc.nat(), (name, c, at) => {
        const i = at % (name.length + 1);
        const bad = `${name.slice(0, i)}${String.fromCharCode(c)}${name.slice(i)}`;
        return patterns.every((p) => !p.test(bad)) && !displayName.safeParse(bad).success;
      }),
    );
  });

  test('other Unicode passes; leading and trailing white space does not', () => {
    fc.assert(fc.property(plain, (name) => new RegExp(namePattern, 'u').test(name) && displayName.safeParse(name).success));
    for (const name of [' a', 'a ', '\u00A0a', 'a\u3000', '']) assert.equal(displayName.safeParse(name).success, false, JSON.stringify(name));
  });
});
