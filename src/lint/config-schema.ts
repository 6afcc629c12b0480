/** Schema of .runner-doctor.yaml. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    extends: {enum: ['recommended', 'all']},
    rules: {type: 'object', additionalProperties: {enum: ['off', 'info', 'warning', 'error']}},
    exemptions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['reason'],
        properties: {
          rules: {type: 'array', items: {type: 'string'}},
          files: {type: 'array', items: {type: 'string'}},
          pointers: {type: 'array', items: {type: 'string'}},
          reason: {type: 'string', minLength: 1},
        },
      },
    },
    capacity: {
      type: 'object',
      additionalProperties: false,
      properties: {cpu: {type: ['string', 'number']}, memory: {type: ['string', 'number']}, servicesPerJob: {type: 'integer', minimum: 0}},
    },
    chartVersion: {type: 'string'},
    runnerVersion: {type: 'string'},
  },
}
