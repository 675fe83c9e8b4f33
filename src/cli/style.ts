import { colourFor } from "./io.js";

/** Colour only on a TTY, never when NO_COLOR is set (https://no-color.org), never with `TERM=dumb`. */
export function useColour(stream: NodeJS.WriteStream): boolean {
  return colourFor(stream);
}

const codes = { red: [31, 39], yellow: [33, 39], blue: [34, 39], dim: [2, 22], bold: [1, 22], green: [32, 39], underline: [4, 24] } as const;
export type Style = keyof typeof codes;

export function styler(enabled: boolean) {
  return (style: Style, text: string): string => (enabled ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text);
}
