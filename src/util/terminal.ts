/** How a report meets the terminal: whether to colour it, and how wide its lines may be (lint and probe alike). */

export interface TerminalFacts {
  env: NodeJS.ProcessEnv
  isTTY: boolean
  columns?: number
}

/**
 * Colour, in the order Node itself and most CLIs use: an explicit --color/--no-color, then FORCE_COLOR (`0` or
 * `false` turn colour off, any other value on), then NO_COLOR (any non-empty value, https://no-color.org), then a
 * GitLab job (its log renders ANSI colours although stdout is not a TTY), then whether stdout is a TTY.
 */
export function wantsColour(flag: boolean | undefined, {env, isTTY}: TerminalFacts): boolean {
  if (flag !== undefined) return flag
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  if (env.NO_COLOR) return false
  if (env.GITLAB_CI === 'true') return true
  return isTTY && env.TERM !== 'dumb'
}

/**
 * The width to wrap to: only when stdout is a terminal (a pipe or file gets whole lines a program can read), then
 * COLUMNS when it holds a positive number, else the terminal's own width.
 */
export function outputWidth({env, isTTY, columns}: TerminalFacts): number | undefined {
  if (!isTTY) return undefined
  const fromEnv = Number(env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return columns !== undefined && columns > 0 ? columns : undefined
}
