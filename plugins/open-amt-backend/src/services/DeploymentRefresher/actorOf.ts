import {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

type KnownPrincipal =
  | BackstageUserPrincipal
  | BackstageServicePrincipal
  | BackstageNonePrincipal;

/** Who acted, for audit events: the user's entity ref or the calling service's subject (never a token). */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as KnownPrincipal;
  switch (principal.type) {
    case 'user':
      return principal.userEntityRef;
    case 'service':
      return principal.subject;
    case 'none':
      return 'anonymous';
    default: {
      const unknownPrincipal: never = principal;
      return String((unknownPrincipal as { type: unknown }).type);
    }
  }
}
