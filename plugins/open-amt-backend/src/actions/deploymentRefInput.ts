import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, toError } from '@backstage/errors';

const catalogNames = makeValidator();

/**
 * An action's `entityRef` input as the System's full ref: `system:default/name`, `default/name` or `name` are
 * accepted; any other kind, or a name the catalog would refuse, is an InputError naming the field.
 */
export function deploymentRefInput(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'system',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(`Invalid input entityRef: ${toError(error).message}`);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'system') {
    throw new InputError(
      `Invalid input entityRef: must name a System (an Open AMT deployment), not a ${ref.kind}`,
    );
  }
  if (
    !catalogNames.isValidNamespace(ref.namespace) ||
    !catalogNames.isValidEntityName(ref.name)
  ) {
    throw new InputError(
      'Invalid input entityRef: must be a catalog entity ref such as system:default/my-deployment',
    );
  }
  return stringifyEntityRef({
    kind: 'system',
    namespace: ref.namespace,
    name: ref.name,
  });
}
