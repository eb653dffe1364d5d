// Character tests as loops over UTF-16 code units, for checks a run makes a few times. V8 compiles
// a regex on its first use and again, to machine code, on its second (measured on these machines:
// 35 to 90 µs each time), so a pattern asked once or twice costs more than all its matching: a
// default run touched some 30 of them. Checks made for every file or component keep their regex:
// there V8's compiled pattern soon wins over a loop the interpreter runs (measured, 100 + 100).

export const isDigit = (code: number) => code >= 48 && code <= 57;
export const isUpper = (code: number) => code >= 65 && code <= 90;
export const isLower = (code: number) => code >= 97 && code <= 122;

/** Every code unit of `text` passes `test` (true for ''). */
export function every(text: string, test: (code: number) => boolean): boolean {
  for (let i = 0; i < text.length; i++) if (!test(text.charCodeAt(i))) return false;
  return true;
}

/** Some code unit of `text` passes `test`. */
export const some = (text: string, test: (code: number) => boolean) => !every(text, (code) => !test(code));

/** A test for the code units of `chars` (ASCII). */
export function oneOf(chars: string): (code: number) => boolean {
  const set = new Set<number>();
  for (let i = 0; i < chars.length; i++) set.add(chars.charCodeAt(i));
  return (code) => set.has(code);
}
