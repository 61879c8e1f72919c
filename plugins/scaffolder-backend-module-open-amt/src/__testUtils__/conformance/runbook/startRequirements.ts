/**
 * What a container needs to exist outside the repository when it starts, as a stand-in store key, read from the
 * rendered files (the products' start-up, from their source): ESPv2 with `--rollout_strategy=managed` reads its
 * service's latest rollout when it starts and exits without one (esp-v2 v2.51.0
 * src/go/configmanager/config_manager.go:174-183), so the service (`--service=`) must have been deployed
 * (`gcloud endpoints services deploy`, which the gcloud stand-in records as `gcloud:endpoints/<service>`).
 */
import { isWorkload, podTemplateOf, RenderedOutput } from '../output';

export interface StartRequirement {
  /** The compose service or `<kind> <name>` of the workload. */
  where: string;
  /** The compose service name (compose only), for the docker-compose stand-in. */
  service?: string;
  key: string;
  why: string;
}

const ESPV2_IMAGE = /(^|\/)endpoints-runtime(-serverless)?:/;

function espv2Needs(
  image: unknown,
  args: unknown,
): StartRequirement | undefined {
  const list = [args].flat().filter(a => typeof a === 'string') as string[];
  if (!ESPV2_IMAGE.test(String(image))) return undefined;
  if (!list.includes('--rollout_strategy=managed')) return undefined;
  const service = list
    .find(a => a.startsWith('--service='))
    ?.slice('--service='.length);
  if (!service) return undefined;
  return {
    where: '',
    key: `gcloud:endpoints/${service}`,
    why: `ESPv2 reads the rollout of ${service} when it starts and exits without one`,
  };
}

export function startRequirements(out: RenderedOutput): StartRequirement[] {
  const compose = out.composeServices();
  if (compose)
    return Object.entries<any>(compose).flatMap(([name, s]) => {
      const need = espv2Needs(s.image, [s.entrypoint, s.command].flat());
      return need ? [{ ...need, where: name, service: name }] : [];
    });
  return out
    .kubernetesObjects()
    .filter(isWorkload)
    .flatMap(o =>
      (podTemplateOf(o)?.spec?.containers ?? []).flatMap((c: any) => {
        const need = espv2Needs(c.image, [c.command, c.args].flat());
        return need ? [{ ...need, where: `${o.kind} ${o.metadata.name}` }] : [];
      }),
    );
}
