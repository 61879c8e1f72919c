import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { CertificateUrgency } from '../../lib/certificates';

const LABELS: Record<CertificateUrgency, string> = {
  ok: 'Valid',
  warning: 'Renew',
  error: 'Expired',
};

/** A certificate's urgency as icon + text (the text is the accessible name, so the icon is not hidden). */
export function CertificateStatus(props: { urgency: CertificateUrgency }) {
  const label = LABELS[props.urgency];
  switch (props.urgency) {
    case 'ok':
      return <StatusOK aria-hidden={false}>{label}</StatusOK>;
    case 'warning':
      return <StatusWarning aria-hidden={false}>{label}</StatusWarning>;
    case 'error':
      return <StatusError aria-hidden={false}>{label}</StatusError>;
    default: {
      const never: never = props.urgency;
      return never;
    }
  }
}
