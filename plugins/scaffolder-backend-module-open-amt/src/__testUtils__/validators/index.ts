/**
 * Validates every artifact of a rendered deployment with the strongest checker available for its
 * kind. Used by the 360-combination test and the benchmark. docker-compose runs separately
 * (dockerCompose.ts): it needs the files on disk and a few hundred ms per run.
 */
import { checkBundlesManifest, checkDockerfile, checkWorkflow } from './images';
import {
  DeploymentSpec,
  releaseOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { loadAll } from 'js-yaml';
import { RenderedFile } from '../../render/types';
import { checkBicep } from './bicep';
import { checkCatalogEntities } from './catalog';
import { checkCloudFormation } from './cloudFormation';
import { checkKongConfig } from './kong';
import { checkKubernetesObject, checkKubernetesWiring } from './kubernetes';
import { checkEnvFile, checkShell, checkVaultPolicy, checkXml } from './misc';
import { nginxSyntaxCheck } from '../nginx';
import { checkOpenApi } from './openApi';
import { checkTyk } from './tyk';

export interface ValidationReport {
  artifacts: number;
  issues: string[];
}

/** Parsed YAML documents of a rendered file, from whoever parses them once for a whole check (RenderedOutput). */
export interface ParsedFiles {
  yaml(path: string): any[];
}

/** YAML 1.2 parse (js-yaml: strict about duplicate keys and indentation, ~5x faster than `yaml`'s AST). */
function yamlDocs(
  file: RenderedFile,
  issues: string[],
  parsed?: ParsedFiles,
): any[] {
  try {
    if (parsed) return parsed.yaml(file.path);
    return loadAll(file.content).filter(d => d !== null && d !== undefined);
  } catch (e: any) {
    issues.push(`${file.path}: ${e.message}`);
    return [];
  }
}

/** `parsed`: the same files already parsed (the benchmark shares one parse with the conformance rules). */
export async function validateRenderedFiles(
  spec: DeploymentSpec,
  files: RenderedFile[],
  parsed?: ParsedFiles,
): Promise<ValidationReport> {
  const issues: string[] = [];
  const paths = new Set(files.map(f => f.path));
  const k8s: any[] = [];
  const tykApis: any[] = [];
  const scripts: RenderedFile[] = [];
  let tykPolicies: Record<string, any> | undefined;
  const add = (file: RenderedFile, found: string[]) =>
    found.forEach(i => issues.push(`${file.path}: ${i}`));
  for (const file of files) {
    const p = file.path;
    if (/\.ya?ml$/.test(p)) {
      const docs = yamlDocs(file, issues, parsed);
      if (p === 'docker-compose.yml') {
        const c = docs[0];
        if ('name' in c)
          add(file, ['top-level name: is rejected by docker-compose 1.29']);
        for (const [id, s] of Object.entries<any>(c.services))
          if (
            !/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/.test(s.image) ||
            /:latest$/.test(s.image)
          )
            add(file, [`${id}: image ${s.image} not pinned`]);
      } else if (p.startsWith('kubernetes/')) {
        for (const d of docs) {
          add(file, checkKubernetesObject(d));
          if (d.kind === 'Kustomization')
            for (const r of d.resources)
              if (!paths.has(`kubernetes/${r}`))
                add(file, [`resource ${r} missing`]);
          k8s.push(d);
        }
      } else if (p === 'gateway/kong/kong.yaml') {
        add(
          file,
          checkKongConfig(docs[0], {
            issuer: spec.jwtIssuer,
            routes: releaseOf(spec).gatewayRoutes,
          }),
        );
      } else if (p.endsWith('.cfn.yaml')) {
        add(file, checkCloudFormation(docs[0]));
      } else if (p === 'gateway/google-cloud-endpoints/openapi.yaml') {
        add(file, await checkOpenApi(docs[0]));
      } else if (p === 'catalog-info.yaml') {
        add(file, await checkCatalogEntities(docs));
      } else if (p === 'mkdocs.yml') {
        // The conformance rule techdocs checks its nav and the catalog annotation against the files.
        if (!docs[0]?.site_name) add(file, ['no site_name']);
      } else if (p.startsWith('.github/workflows/')) {
        add(file, checkWorkflow(docs[0]));
      } else {
        add(file, ['no validator for this file']);
      }
    } else if (p.endsWith('.json')) {
      let doc: any;
      try {
        doc = JSON.parse(file.content);
      } catch (e: any) {
        add(file, [e.message]);
        continue;
      }
      if (p === 'gateway/aws-api-gateway/openapi.json')
        add(file, await checkOpenApi(doc));
      else if (p.startsWith('gateway/tyk/apps/')) tykApis.push(doc);
      // policies.policy_path is a directory: each file one policy, stored under its id (Tyk gateway/policy.go:94-118).
      else if (p.startsWith('gateway/tyk/policies/'))
        tykPolicies = { ...tykPolicies, [String(doc?.id ?? '')]: doc };
      else if (p === 'images/bundles.json')
        add(file, checkBundlesManifest(doc));
      else add(file, ['no validator for this file']);
    } else if (p.endsWith('.bicep')) {
      add(
        file,
        checkBicep(file.content, paths, p.slice(0, p.lastIndexOf('/'))),
      );
    } else if (p.endsWith('.xml')) {
      add(file, checkXml(file.content));
    } else if (p.endsWith('.hcl')) {
      add(file, checkVaultPolicy(file.content));
    } else if (p.endsWith('.sh')) {
      scripts.push(file);
    } else if (p.endsWith('.env') || p === '.env') {
      add(file, checkEnvFile(file.content));
    } else if (p.endsWith('.sql')) {
      if (!/CREATE TABLE/i.test(file.content)) add(file, ['no CREATE TABLE']);
    } else if (p === 'README.md') {
      for (const h of [
        '## Choices',
        '## Steps left to a human',
        '## Secrets',
        '## Provider kit',
      ])
        if (!file.content.includes(h)) add(file, [`missing section ${h}`]);
    } else if (p === 'docs/index.md') {
      const readme = files.find(f => f.path === 'README.md');
      if (file.content !== readme?.content)
        add(file, ['not the runbook README.md carries']);
    } else if (p.endsWith('.conf')) {
      // nginx server blocks (the Web UI's): the real nginx parses them.
      const out = nginxSyntaxCheck(file.content);
      if (out) add(file, [`nginx -t: ${out}`]);
    } else if (p.endsWith('/Dockerfile')) {
      add(file, checkDockerfile(file.content));
    } else if (p === '.gitignore') {
      if (!file.content.includes('secrets/'))
        add(file, ['secrets/ not ignored']);
    } else {
      add(file, ['no validator for this file']);
    }
  }
  if (scripts.length) issues.push(...(await checkShell(scripts)));
  if (k8s.length)
    issues.push(...checkKubernetesWiring(k8s).map(i => `kubernetes: ${i}`));
  if (tykApis.length || tykPolicies)
    issues.push(
      ...checkTyk(
        tykApis,
        tykPolicies ?? {},
        releaseOf(spec).gatewayRoutes,
      ).map(i => `gateway/tyk: ${i}`),
    );
  return { artifacts: files.length, issues };
}
