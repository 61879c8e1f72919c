import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { loadAll } from 'js-yaml';
import type { RenderedFile } from '../../render';
import { generateEntry, ProvisionedKind } from '../../secrets/provision';
import { ComposeView, composeView } from './compose/view';
import { K8sObject, kustomize } from './kustomize';

export type { K8sObject } from './kustomize';

/** Objects that run long-lived pods from a template: the Open AMT services and in-cluster gateways. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);
export const isWorkload = (o: { kind: string }) => WORKLOAD_KINDS.has(o.kind);

/** The pod template of anything that runs pods (Deployment, StatefulSet, DaemonSet, Job, CronJob), else undefined. */
export function podTemplateOf(o: K8sObject): any {
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template;
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)
    ? o.spec?.template
    : undefined;
}

/**
 * One rendered deployment as the rules read it: the files, parsed once on demand. Rules inspect what an operator
 * would apply (the YAML/JSON files), never the renderer's internals, so a rule holds whatever code produced them.
 */
export class RenderedOutput {
  private readonly parsed = new Map<string, unknown[]>();

  constructor(
    readonly spec: DeploymentSpec,
    readonly files: RenderedFile[],
    private readonly entries: Partial<
      Record<ProvisionedKind, Record<string, string>>
    > = {},
  ) {}

  /**
   * A store entry as the services receive it: what open-amt:secrets:provision writes for this spec (generated
   * logins, derived connection strings), unless a test put another one in.
   */
  provisioned(kind: 'db-mps' | 'db-rps'): Record<string, string> {
    return this.entries[kind] ?? generateEntry(this.spec, kind, {});
  }

  /** Copy with one store entry replaced: how negative tests inject a wrong connection string. */
  withEntry(
    kind: 'db-mps' | 'db-rps',
    entry: Record<string, string>,
  ): RenderedOutput {
    return new RenderedOutput(this.spec, this.files, {
      ...this.entries,
      [kind]: entry,
    });
  }

  file(path: string): string | undefined {
    return this.files.find(f => f.path === path)?.content;
  }

  /** Every YAML document of a file (empty when the file is absent). */
  yaml(path: string): any[] {
    let docs = this.parsed.get(path);
    if (!docs) {
      const content = this.file(path);
      // JSON as JSON, YAML with js-yaml: several times faster than the yaml package here (bench:render's median).
      if (content === undefined) docs = [];
      else if (path.endsWith('.json')) docs = [JSON.parse(content)];
      else docs = loadAll(content).filter(d => d !== null && d !== undefined);
      this.parsed.set(path, docs);
    }
    return docs;
  }

  private objects?: K8sObject[];

  /** Every Kubernetes object `kubectl apply -k kubernetes/` applies: the kustomization's resources as kustomize builds them. */
  kubernetesObjects(): K8sObject[] {
    this.objects ??= kustomize(
      this.yaml('kubernetes/kustomization.yaml')[0],
      r => this.yaml(`kubernetes/${r}`),
    );
    return this.objects;
  }

  /**
   * The literal environment of a service: its compose `environment`, or the first container's `env` of the Deployment or StatefulSet
   * of that name (values from Secrets are undefined: the files do not hold them).
   */
  containerEnv(name: string): Record<string, string | undefined> {
    const compose = this.composeServices();
    if (compose) return compose[name]?.environment ?? {};
    const deployment = this.kubernetesObjects().find(
      o => isWorkload(o) && o.metadata.name === name,
    );
    const env: Array<{ name: string; value?: string }> =
      deployment?.spec?.template?.spec?.containers?.[0]?.env ?? [];
    return Object.fromEntries(env.map(e => [e.name, e.value]));
  }

  private composeViewMemo?: ComposeView | null;

  /** docker-compose.yml as `docker-compose config` shows it (interpolated with the project's .env), or undefined on Kubernetes targets. */
  compose(): ComposeView | undefined {
    if (this.composeViewMemo === undefined) {
      const doc = this.yaml('docker-compose.yml')[0];
      this.composeViewMemo = doc ? composeView(doc, this.file('.env')) : null;
    }
    return this.composeViewMemo ?? undefined;
  }

  /** Instances of a service: its workload's replicas on Kubernetes (1 when unset or absent); compose runs one. */
  replicasOf(name: string): number {
    const workload = this.kubernetesObjects().find(
      o => isWorkload(o) && o.metadata.name === name,
    );
    return workload?.spec?.replicas ?? 1;
  }

  /** The compose file's services as compose interpolates them, or undefined on Kubernetes targets. */
  composeServices(): Record<string, any> | undefined {
    return this.compose()?.services;
  }

  /** Copy without one file: how negative tests remove one. */
  withoutFile(path: string): RenderedOutput {
    return new RenderedOutput(
      this.spec,
      this.files.filter(f => f.path !== path),
      this.entries,
    );
  }

  /** Copy with one file's content replaced: how negative tests inject a defect. */
  withFile(path: string, content: string): RenderedOutput {
    return new RenderedOutput(
      this.spec,
      [...this.files.filter(f => f.path !== path), { path, content }],
      this.entries,
    );
  }
}
