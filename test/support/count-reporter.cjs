// Records the plain closing line CI reads ("N passed, N failed") and prints it.
const fs = require('node:fs')
const path = require('node:path')

class CountReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    const line = `${results.numPassedTests} passed, ${failed} failed`
    const dir = path.join(__dirname, '..', '..', 'test-results')
    fs.mkdirSync(dir, {recursive: true})
    fs.writeFileSync(path.join(dir, 'counts.txt'), line)
    process.stdout.write(`\n${line}\n`)
  }
}
module.exports = CountReporter
