import type {Ajv as AjvType, Options} from 'ajv'

/** ajv and ajv-formats are CommonJS; this hides their interop shape from the rest of the code. */
export async function createAjv(options: Options = {}): Promise<AjvType> {
  const {Ajv} = await import('ajv')
  const formats = (await import('ajv-formats')) as unknown as {default: (ajv: AjvType, list?: string[]) => AjvType}
  const ajv = new Ajv({strict: false, allErrors: true, ...options})
  formats.default(ajv, ['uri', 'date-time'])
  return ajv
}
