import {createRequire} from 'node:module'

import type {Ajv as AjvType, Options} from 'ajv'

// require, not import(): ajv is CommonJS, and the lint bundle runs without an ESM loader for dynamic imports.
const require = createRequire(import.meta.url)

/** ajv and ajv-formats are CommonJS; this hides their interop shape from the rest of the code. */
export async function createAjv(options: Options = {}): Promise<AjvType> {
  const {Ajv} = require('ajv') as typeof import('ajv')
  const addFormats = require('ajv-formats') as {default: (ajv: AjvType, list?: string[]) => AjvType}
  const ajv = new Ajv({strict: false, allErrors: true, ...options})
  addFormats.default(ajv, ['uri', 'date-time'])
  return ajv
}
