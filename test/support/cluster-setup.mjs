// Jest globalSetup: names this run's test cluster. The cluster itself starts only when a test file asks for it
// (test/support/test-cluster.ts), so runs without cluster tests pay nothing; parallel runs get separate clusters.
import {randomBytes} from 'node:crypto'

export default function setup() {
  process.env.RD_TEST_RUN_ID ??= `${process.pid}-${randomBytes(3).toString('hex')}`
}
