import {SEVERITY_RANK} from '../../src/lint/types.js'
test('severity order', () => { expect(SEVERITY_RANK.error).toBeGreaterThan(SEVERITY_RANK.warning) })
