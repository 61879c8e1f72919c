import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import {
  CertificateRow,
  certificatesOf,
  certificateUrgency,
  renewDaysOf,
} from '../../lib/certificates';
import { CertificateStatus } from './CertificateStatus';

const KIND_LABELS: Record<CertificateRow['kind'], string> = {
  provisioning: 'Provisioning (ACM domain)',
  cira: 'CIRA (MPS server)',
};

function daysLeftText(cert: CertificateRow, expired: boolean): string {
  if (expired) return 'expired';
  return cert.daysLeft === 0 ? 'under a day' : String(cert.daysLeft);
}

/** Every certificate the deployment depends on, the first to expire first, with its urgency. */
export function CertificatesPanel(props: { certificates?: ComponentHealth }) {
  const row = props.certificates;
  const certificates = certificatesOf(row);
  const renewDays = renewDaysOf(row);
  const unread = Array.isArray(row?.details?.unread)
    ? (row?.details?.unread as unknown[]).filter(
        (u): u is string => typeof u === 'string',
      )
    : [];

  return (
    <InfoCard title="Certificates">
      <div data-testid="certificates-panel">
        {certificates.length === 0 ? (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="certificates-empty"
          >
            {row?.message || 'The certificates have not been read yet.'}
          </Typography>
        ) : (
          <Table size="small" aria-label="Certificates by expiry">
            <TableHead>
              <TableRow>
                <TableCell>Status</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell>Name / domain suffix</TableCell>
                <TableCell>Expires on</TableCell>
                <TableCell align="right">Days left</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {certificates.map(cert => {
                const urgency = certificateUrgency(
                  cert,
                  renewDays,
                  row?.checkedAt ?? '',
                );
                return (
                  <TableRow
                    key={`${cert.kind}-${cert.name}-${cert.expiresAt}`}
                    data-testid="certificate-row"
                  >
                    <TableCell>
                      <CertificateStatus urgency={urgency} />
                    </TableCell>
                    <TableCell>{KIND_LABELS[cert.kind]}</TableCell>
                    <TableCell>
                      {cert.name}
                      {cert.domainSuffix && (
                        <Typography
                          variant="caption"
                          color="textSecondary"
                          display="block"
                        >
                          {cert.domainSuffix}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>{cert.expiresAt.slice(0, 10)}</TableCell>
                    <TableCell align="right">
                      {daysLeftText(cert, urgency === 'error')}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
        {certificates.length > 0 &&
          unread.map(u => (
            <Typography key={u} variant="caption" display="block">
              {u}
            </Typography>
          ))}
        <Typography variant="caption" color="textSecondary" display="block">
          Renew a certificate at {renewDays} days left or fewer.
        </Typography>
      </div>
    </InfoCard>
  );
}
