import {describe, expect, it} from '@jest/globals'
import type {CoreV1Event, V1Pod} from '@kubernetes/client-node'
import {pendingState} from '../../../src/probe/cluster/pending.js'

const scheduledOn = (node: string, extra: Partial<V1Pod['status']> = {}): V1Pod => ({
  metadata: {name: 'rd-probe-1'},
  spec: {nodeName: node, containers: [{name: 'build'}], initContainers: [{name: 'init-permissions'}]},
  status: {
    phase: 'Pending',
    conditions: [{type: 'PodScheduled', status: 'True'}],
    initContainerStatuses: [
      {name: 'init-permissions', ready: false, restartCount: 0, image: 'helper', imageID: '', state: {terminated: {exitCode: 0}}},
    ],
    containerStatuses: [
      {name: 'build', ready: false, restartCount: 0, image: 'node', imageID: '', state: {waiting: {reason: 'ContainerCreating'}}},
    ],
    ...extra,
  },
})
const event = (reason: string, message: string): CoreV1Event => ({
  metadata: {},
  involvedObject: {},
  reason,
  message,
  type: reason === 'Pulling' ? 'Normal' : 'Warning',
})

// Messages as the kubelet writes them (kubelet/volumemanager, kuberuntime_manager, images/image_manager).
describe('pending states are named for what they are, and move with the pod', () => {
  it('unscheduled, then unschedulable with the scheduler message', () => {
    expect(pendingState({status: {phase: 'Pending'}})).toEqual({kind: 'not-scheduled', reason: 'the pod has not been scheduled yet'})
    expect(
      pendingState({
        status: {
          conditions: [
            {type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.'},
          ],
        },
      }).reason,
    ).toBe('the pod cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.')
  })

  it('ContainerCreating because a ConfigMap volume is missing is a volume-mount state with the fix', () => {
    const state = pendingState(scheduledOn('node-1'), [
      event('Scheduled', 'assigned'),
      event('FailedMount', 'MountVolume.SetUp failed for volume "dind-config" : configmap "dind-config" not found'),
    ])
    expect(state.kind).toBe('volume-mount')
    expect(state.reason).toBe(
      'a volume cannot be mounted on node-1: MountVolume.SetUp failed for volume "dind-config" : configmap "dind-config" not found',
    )
    expect(state.remediation).toContain('[[runners.kubernetes.volumes.*]]')
  })

  it('ContainerCreating because the CNI fails is a sandbox state', () => {
    const state = pendingState(scheduledOn('node-2'), [
      event(
        'FailedCreatePodSandBox',
        'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for ' +
          'sandbox "abc": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized',
      ),
    ])
    expect(state.kind).toBe('sandbox')
    expect(state.reason).toMatch(/^the pod sandbox cannot be created on node-2: Failed to create pod sandbox: .*calico/)
    expect(state.cause).toContain('CNI')
  })

  it('pulls, init containers, no pod IP, and plain creation', () => {
    expect(pendingState(scheduledOn('node-1'), [event('Pulling', 'Pulling image "docker:27-dind"')]).reason).toBe(
      'images are being pulled on node-1 (Pulling image "docker:27-dind")',
    )
    const init = scheduledOn('node-1', {
      initContainerStatuses: [
        {name: 'init-permissions', ready: false, restartCount: 0, image: 'helper', imageID: '', state: {terminated: {exitCode: 1}}},
      ],
    })
    expect(pendingState(init)).toMatchObject({kind: 'init-containers', reason: 'init container "init-permissions" failed with exit code 1'})
    expect(pendingState(scheduledOn('node-1', {phase: 'Running'})).kind).toBe('no-pod-ip')
    expect(pendingState(scheduledOn('node-1'))).toEqual({kind: 'creating', reason: 'the containers are being created on node-1'})
  })
})
