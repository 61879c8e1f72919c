/**
 * What the kubelet makes of a container's strings before the process starts: `$(NAME)` references in env values
 * (against the variables defined before, and the Services' link variables) and in command/args (against the whole
 * environment) are replaced; `$$` becomes `$`; anything else stays. Modelled from kubernetes
 * third_party/forked/golang/expansion/expand.go (`Expand`, `tryReadVariableName`, `MappingFuncFor`), as
 * pkg/kubelet/container/helpers.go `ExpandContainerCommandAndArgs` and pkg/kubelet/kubelet_pods.go
 * `makeEnvironmentVariables` apply it; kubelet.test.ts runs the vendor's expand_test.go cases.
 */

/** Expand: `lookup` returns undefined for an undefined name, which stays written as `$(name)`. */
export function kubeletExpand(
  input: string,
  lookup: (name: string) => string | undefined,
): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') out += '$';
    else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) out += '$(';
      else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else out += `$${rest[0]}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * The link variables a Service puts into every container of its namespace (unless enableServiceLinks is false):
 * pkg/kubelet/envvars/envvars.go `FromServices` (`<NAME>_SERVICE_HOST`, `_SERVICE_PORT[_<PORT NAME>]`, `_PORT`,
 * `_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`, the name upper-cased with `-` as `_`).
 */
export function serviceLinkNames(service: {
  metadata: { name: string };
  spec?: any;
}): string[] {
  const p = service.metadata.name.toUpperCase().replace(/-/g, '_');
  const ports: any[] = service.spec?.ports ?? [];
  if (!ports.length || service.spec?.clusterIP === 'None') return [];
  const names = [`${p}_SERVICE_HOST`, `${p}_SERVICE_PORT`, `${p}_PORT`];
  for (const port of ports) {
    if (port.name)
      names.push(
        `${p}_SERVICE_PORT_${String(port.name)
          .toUpperCase()
          .replace(/-/g, '_')}`,
      );
    const base = `${p}_PORT_${port.port}_${port.protocol ?? 'TCP'}`;
    names.push(base, `${base}_PROTO`, `${base}_PORT`, `${base}_ADDR`);
  }
  return names;
}
