import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {ConfigExistsError, writeStarterConfig} from './init/starter-config.js'

export default class Init extends BaseCommand {
  static override description =
    `Writes a commented .runner-doctor.yaml with every setting and its default. Its first line ` +
    `points editors that use yaml-language-server (VS Code's YAML extension, JetBrains, Neovim) ` +
    `at the published JSON Schema, so keys and rule settings complete and are checked as you type.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --dir deploy/runners --force']

  static override flags = {
    dir: Flags.string({description: 'Directory to write .runner-doctor.yaml into.', default: '.'}),
    force: Flags.boolean({description: 'Replace an existing .runner-doctor.yaml.', default: false}),
  }

  static override summary = 'Write a starter .runner-doctor.yaml.'

  async run(): Promise<void> {
    const {flags} = await this.parse(Init)
    this.verbose = flags.verbose
    try {
      const path = writeStarterConfig(flags.dir, this.config.version, flags.force)
      this.log(`Wrote ${path}. Edit it, then run: runner-doctor lint`)
    } catch (error) {
      if (error instanceof ConfigExistsError) this.fail(error.message, 'RD_CONFIG_EXISTS')
      throw error
    }
  }
}
