import {isAscii} from 'node:buffer'
import {accessSync, constants, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {Script} from 'node:vm'

/*
 * Why this exists: a cold lint spends most of its time compiling the bundle's functions the first time they run.
 * Node's compile cache stores code right after compiling a file, when only its top level is compiled. A V8 code
 * cache taken after a whole lint run also holds every function that run compiled (yaml's parser, the rules, the
 * formatter), so the next start-up deserializes them instead of compiling them again.
 */

export interface CachedModule<T> {
  exports: T
  /** How the code cache was used: accepted, rejected by this V8 (another Node or other flags), or absent. */
  cache: 'accepted' | 'rejected' | 'absent'
  /** Writes a code cache when there was no usable one; call it after the work, so it holds what the work compiled. */
  saveCache(): void
}

/**
 * V8 checks a cache against its own version and flags, but matches the source only by its length, so the file name
 * carries the bundle's size and modification time: a rebuilt bundle never meets the cache of the previous one.
 */
export function codeCachePath(bundlePath: string): string {
  const info = statSync(bundlePath)
  return `${bundlePath}.${info.size}-${Math.trunc(info.mtimeMs)}-v8-${process.versions.v8.replace(/[^\w.]/g, '_')}.cache`
}

function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch {
    return undefined
  }
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** require() for one CommonJS bundle, through a V8 code cache kept next to it. */
export function requireWithCodeCache<T>(bundlePath: string): CachedModule<T> {
  const cachePath = codeCachePath(bundlePath)
  const cachedData = readIfPresent(cachePath)
  const bytes = readFileSync(bundlePath)
  // The build keeps the bundle ASCII, and ASCII read as Latin-1 is the same text without UTF-8 decoding (~0.7 ms).
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')
  // The same wrapper Node puts around a CommonJS file, so the bundle sees require, module and __filename as usual.
  // No importModuleDynamically: the bundle must not use import() (vm's loader for it is still experimental);
  // test/cli/code-cache.test.ts checks the built bundle for it.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundlePath,
    cachedData,
  })
  const module = {exports: {} as T}
  const wrapper = script.runInThisContext() as (
    exports: T,
    require: NodeJS.Require,
    module: {exports: T},
    filename: string,
    dirname: string,
  ) => void
  wrapper(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath))
  const cache = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted'
  return {
    exports: module.exports,
    cache,
    saveCache() {
      // A read-only install (a global prefix, an image's non-root user) keeps working, only without the cache.
      if (cache === 'accepted' || !isWritable(dirname(bundlePath))) return
      const temporary = `${cachePath}.${process.pid}.tmp`
      try {
        writeFileSync(temporary, script.createCachedData())
        // rename is atomic, so a concurrent lint never reads half a cache.
        renameSync(temporary, cachePath)
      } catch {
        // A cache is an optimization: failing to write one must not fail the lint that asked for it.
        rmSync(temporary, {force: true})
      }
    },
  }
}
