/**
 * The one way text from outside the generator (model and experiment names) enters generated C, inside a
 * comment or a string literal. Names are validated identifiers by the time they get here; this is the
 * second wall: nothing can close the comment or the string, continue a line, or form a trigraph.
 */
export function cText(text: string, context: 'comment' | 'string'): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code > 0x7e) out += context === 'string' ? `\\${code <= 0xff ? code.toString(8).padStart(3, '0') : '077'}` : '?';
    else if (context === 'string' && (char === '"' || char === '\\' || char === '?')) out += `\\${char}`;
    else if (context === 'comment' && char === '/' && out.endsWith('*')) out += ' /';
    else if (context === 'comment' && char === '*' && out.endsWith('/')) out += ' *';
    else out += char;
  }
  return context === 'string' ? `"${out}"` : out;
}
