export { HealthStatus, STATUS_LABELS } from './HealthStatus';
