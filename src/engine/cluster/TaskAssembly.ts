/**
 * Builds the subtasks one TaskManager hosts: sources, operators (with their runner, context
 * and keyed backend) and chains (plan/chaining.ts), over the TaskManager's network part. Used
 * at deploy for every hosted subtask and at a failover's restart for the restarted ones, which
 * are rebuilt the same way over fresh gates (TaskManagerNetwork.reset).
 */
import { edgeId, type JobGraph, type OperatorSpec } from '../job/types';
import type { InputGate } from '../network/InputGate';
import { divideRegions, isRegionSharable, regionIdsOfSubtask, RUN_REGIONS } from '../plan/regions';
import { subtaskKey, type ExecutionEdge, type Subtask } from '../plan/executionGraph';
import { createOperator } from '../operators/createOperator';
import { createOperatorContext } from '../operators/operatorContext';
import { OperatorRunner } from '../operators/OperatorRunner';
import type { LogEntry } from '../operators/types';
import type { ResultPartition } from '../network/ResultPartition';
import type { RunConfig } from '../runtime/runConfig';
import type { RunEvent } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';
import { stableIdOf } from '../plan/operatorIds';
import { createSource } from '../sources/createSource';
import { ChainedOutput } from './ChainedOutput';
import { ForwardingCollector } from './ForwardingCollector';
import type { HostedTask, TaskOutbox, TaskOutput } from './HostedTask';
import { OperatorTask, type CheckpointSabotage } from './OperatorTask';
import { SourceTask } from './SourceTask';
import type { TaskManagerNetwork } from './TaskManagerNetwork';
import type { TaskManagerState } from './TaskManagerState';

/** Everything a TaskManager's subtasks are built from. */
export interface AssemblyContext {
  job: JobGraph;
  config: RunConfig;
  network: TaskManagerNetwork;
  state: TaskManagerState | undefined;
  outbox: TaskOutbox;
  /** Virtual time for operator clocks. */
  now(): VirtualMs;
  /** The chained input edge of each follower operator (by operator id). */
  chainedInput: ReadonlyMap<string, ExecutionEdge>;
  /** The hosted task of a subtask built earlier (plan order is topological). */
  taskOf(operatorId: string, index: number): HostedTask;
  sabotage?: CheckpointSabotage;
}

/** Builds one hosted subtask (its chain head, when it is a follower, already exists) and links it into its chain. */
export function assembleTask(ctx: AssemblyContext, subtask: Subtask): HostedTask {
  const spec = ctx.job.operators.find((op) => op.id === subtask.operatorId) as OperatorSpec;
  const outputs: TaskOutput[] = [...ctx.network.outputs(subtask)];
  const edge = ctx.chainedInput.get(spec.id);
  const task = createTask(ctx, spec, subtask, outputs, edge !== undefined);
  if (edge !== undefined) {
    // Slot i holds subtask i of every operator, so the upstream of a chained edge is here.
    const upstream = ctx.taskOf(edge.from, subtask.index);
    const upstreamRef = { operatorId: edge.from, index: subtask.index };
    const partitions = ctx.network.outputs(upstreamRef);
    const at = partitions.findIndex((partition) => partition.edgeId === edge.id);
    const output = new ChainedOutput(task as OperatorTask);
    upstream.replaceOutput(at, output);
    ctx.network.chain(partitions[at] as ResultPartition, () => output.recordsOut);
    const head = upstream.chainHead ?? upstream;
    task.chainHead = head;
    head.chainFollowers.push(task);
  }
  return task;
}

function createTask(ctx: AssemblyContext, spec: OperatorSpec, subtask: Subtask, outputs: TaskOutput[], chained: boolean): HostedTask {
  const { config, network, outbox } = ctx;
  if (spec.kind === 'datagen' || spec.kind === 'sequence') {
    const source = createSource(spec, {
      seed: config.seed, parallelism: subtask.parallelism, subtaskIndex: subtask.index, sourceId: stableIdOf(ctx.job, spec.id),
    });
    return new SourceTask(subtask, spec.kind, spec.name, source, outputs, config.costScale, outbox);
  }
  const gate = chained ? null : network.input(subtask);
  if (gate === null && !chained) throw new Error(`Operator ${spec.id} has no input edge.`);
  const inputKeys = ctx.job.edges.filter((edge) => edge.to === spec.id).map((edge) => edge.key);
  const operatorCtx = createOperatorContext({
    subtask: { operatorId: subtask.operatorId, index: subtask.index },
    kind: spec.kind,
    operatorName: spec.name,
    parallelism: subtask.parallelism,
    maxParallelism: subtask.maxParallelism,
    clock: { now: ctx.now },
    stateBackend: ctx.state?.backendOf(subtask.operatorId, subtask.index),
    inputKeys,
    log: (entry) => outbox.event(logEvent(entry)),
    output: (counters) => new ForwardingCollector(counters, outputs),
  });
  const runner = new OperatorRunner(createOperator(spec), operatorCtx);
  runner.open();
  const task = new OperatorTask(subtask, spec.kind, spec.name, runner, gate, outputs, config.costScale, outbox, ctx.sabotage);
  task.commitOnCheckpoint = config.checkpointIntervalMs > 0;
  if (gate !== null) {
    const regionOfChannel = sharedCommitterChannels(ctx.job, subtask, gate);
    if (regionOfChannel !== undefined) task.shareRegions(regionOfChannel);
  }
  return task;
}

function logEvent(entry: LogEntry): RunEvent {
  return {
    virtualTimeMs: entry.virtualTimeMs, kind: 'log', message: entry.message,
    operatorId: entry.operatorId, subtask: entry.subtaskIndex,
  };
}

/**
 * A region-sharable committer fed by several regions (plan/regions.ts): the region of each input
 * channel's sender (a sender belongs to exactly one region). Undefined for any other subtask.
 */
function sharedCommitterChannels(job: JobGraph, subtask: Subtask, gate: InputGate): Int32Array | undefined {
  const spec = job.operators.find((op) => op.id === subtask.operatorId);
  if (spec === undefined || !isRegionSharable(spec)) return undefined;
  const regionsOf = regionIdsOfSubtask(divideRegions(job, RUN_REGIONS));
  if ((regionsOf.get(subtaskKey(subtask))?.length ?? 0) < 2) return undefined;
  const fromOf = new Map(job.edges.map((edge) => [edgeId(edge), edge.from]));
  return Int32Array.from({ length: gate.numberOfChannels }, (_, c) => {
    const info = gate.channelInfo(c);
    const from = { operatorId: fromOf.get(info.edgeId) as string, index: info.source };
    const region = regionsOf.get(subtaskKey(from))?.[0];
    if (region === undefined) throw new Error(`Channel ${info.channelId} into ${subtaskKey(subtask)} comes from ${subtaskKey(from)}, which is in no region.`);
    return region;
  });
}
