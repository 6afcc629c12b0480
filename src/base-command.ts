import {Command, Errors, Flags} from '@oclif/core'

/** Shared error contract: every failure that is not a finding exits 2 with one line, stack only with --verbose. */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    verbose: Flags.boolean({description: 'Print suppressed findings, progress details and stack traces.', default: false}),
  }

  protected verbose = false

  protected fail(message: string, code = 'RD_ERROR'): never {
    this.error(message, {exit: 2, code})
  }

  // oclif maps plain errors and parse errors to exit 1; here 1 means findings, so every failure is 2.
  override async catch(error: Error): Promise<void> {
    if (error instanceof Errors.ExitError) throw error
    const line = (error.message || String(error)).split('\n')[0]
    process.stderr.write(`runner-doctor: ${line}\n`)
    if (this.verbose || process.argv.includes('--verbose')) process.stderr.write(`${error.stack ?? ''}\n`)
    process.exitCode = 2
    this.exit(2)
  }
}
