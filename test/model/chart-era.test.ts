import chartKeys from '../../src/data/chart-values-keys-by-version.json' with {type: 'json'}
import {
  chartEra,
  chartVersionForRunner,
  KNOWN_CHART_VERSIONS,
  parseVersion,
  pinnedRunnerVersion,
  runnerVersionForChart,
} from '../../src/model/chart.js'
import {legacyChartKeys} from '../../src/model/chart-keys.js'

const shipped = Object.entries(chartKeys.appVersionByChartVersion as Record<string, string>).map(
  ([chart, runner]) => [chart.replace(/^v/, ''), runner] as const,
)
const minorOf = (v: string) => parseVersion(v)!.slice(0, 2).join('.')

test('every chart version in the data has the runner version it ships', () => {
  expect(shipped.map(([chart]) => chart).sort()).toEqual([...KNOWN_CHART_VERSIONS].sort())
})

test.each(shipped)('chart %s ships runner %s: the formula maps each to the other', (chart, runner) => {
  expect(minorOf(chartVersionForRunner(runner)!)).toBe(minorOf(chart))
  expect(minorOf(runnerVersionForChart(chart)!)).toBe(minorOf(runner))
})

test('0.(53 + 12·(major − 16) + minor) from runner 16.0 on', () => {
  expect(chartVersionForRunner('16.0.0')).toBe('0.53.0')
  expect(chartVersionForRunner('16.2.1')).toBe('0.55.0')
  expect(chartVersionForRunner('17.0.0')).toBe('0.65.0')
  expect(chartVersionForRunner('18.11.0')).toBe('0.88.0')
  expect(chartVersionForRunner('15.4.0')).toBe('0.45.0')
  expect(chartVersionForRunner('12.9.0')).toBeUndefined()
})

test('the pinned runner version comes from image.tag, or from the tag of an old chart image string', () => {
  expect(pinnedRunnerVersion({image: {registry: 'registry.gitlab.com', tag: 'alpine-v15.4.0'}})).toBe('15.4.0')
  expect(pinnedRunnerVersion({image: {tag: 'v16.2.1'}})).toBe('16.2.1')
  expect(pinnedRunnerVersion({image: 'gitlab/gitlab-runner:alpine-v15.4.0'})).toBe('15.4.0')
  expect(pinnedRunnerVersion({image: 'gitlab/gitlab-runner:v15.4.0@sha256:0123abcd'})).toBe('15.4.0')
  expect(pinnedRunnerVersion({image: 'registry.local:5000/gitlab-runner'})).toBeUndefined()
  expect(pinnedRunnerVersion({image: {tag: 'latest'}})).toBeUndefined()
})

test('a named chart version wins; without one the pinned runner decides; else the default', () => {
  expect(chartEra({image: {tag: 'alpine-v15.4.0'}}, '0.80.1', undefined, '0.86.0')).toEqual({chartVersion: '0.80.1'})
  expect(chartEra({image: {tag: 'alpine-v15.4.0'}}, undefined, undefined, '0.86.0')).toEqual({
    chartVersion: '0.45.0',
    inferredFromRunner: '15.4.0',
  })
  expect(chartEra({}, undefined, '17.3.0', '0.86.0')).toEqual({chartVersion: '0.68.0', inferredFromRunner: '17.3.0'})
  expect(chartEra({}, undefined, undefined, '0.86.0')).toEqual({chartVersion: '0.86.0'})
})

test('legacy-only keys the chart once took whole are legacy, their Kubernetes contents are not looked into', () => {
  const keys = legacyChartKeys({
    runners: {nodeSelector: {pool: 'ci'}, env: {A: 'b'}, namespace: 'ci', config: ''},
    nodeSelector: {pool: 'ci'},
  })
  expect(keys.map((k) => k.path).sort()).toEqual(['runners.env', 'runners.namespace', 'runners.nodeSelector'])
  expect(keys.every((k) => k.removedIn === '0.53.0')).toBe(true)
})
