/**
 * Schema of .runner-doctor.yaml. The descriptions are for editors: the published copy (CONFIG_SCHEMA_FILE, made by
 * publishedConfigSchema) is what `runner-doctor init` points the yaml-language-server at.
 */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    extends: {
      enum: ['recommended', 'all'],
      description: 'Rule set to start from: recommended (the default) or all rules.',
    },
    rules: {
      type: 'object',
      description: 'Severity per rule id (`runner-doctor rules` lists them); off turns a rule off.',
      additionalProperties: {enum: ['off', 'info', 'warning', 'error']},
    },
    exemptions: {
      type: 'array',
      description: 'Findings to suppress, each with the reason (shown with --verbose and in reports).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['reason'],
        properties: {
          rules: {type: 'array', items: {type: 'string'}, description: 'Rule ids this exemption covers (default: every rule).'},
          files: {
            type: 'array',
            items: {type: 'string'},
            description: 'Globs of files it covers, relative to this file (default: every file).',
          },
          pointers: {
            type: 'array',
            items: {type: 'string'},
            description: 'JSON Pointers (or prefixes) of the places it covers, such as /runners/config.',
          },
          reason: {type: 'string', minLength: 1, description: 'Why the finding is accepted; required.'},
        },
      },
    },
    capacity: {
      type: 'object',
      additionalProperties: false,
      description: 'What the cluster can give to job pods, for the concurrency checks.',
      properties: {
        cpu: {type: ['string', 'number'], description: 'CPU as a Kubernetes quantity, such as 64 or 96000m.'},
        memory: {type: ['string', 'number'], description: 'Memory as a Kubernetes quantity, such as 256Gi.'},
        servicesPerJob: {type: 'integer', minimum: 0, description: 'Service containers a typical job starts (default 1).'},
      },
    },
    chartVersion: {type: 'string', description: 'gitlab/gitlab-runner chart version the values are for (default: the newest known).'},
    runnerVersion: {type: 'string', description: 'GitLab Runner version (default: from the chart version or image.tag).'},
  },
}

/** Where the package ships the schema, relative to its root. */
export const CONFIG_SCHEMA_FILE = 'schemas/runner-doctor-config.schema.json'

/** The schema's public address for a released version: npm's files served by jsDelivr, pinned to that version. */
export function configSchemaUrl(version: string): string {
  return `https://cdn.jsdelivr.net/npm/runner-doctor@${version}/${CONFIG_SCHEMA_FILE}`
}

/** The schema as published: the same rules, with the draft and a title for editors and SchemaStore-style catalogs. */
export function publishedConfigSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'runner-doctor configuration (.runner-doctor.yaml)',
    ...CONFIG_SCHEMA,
  }
}
