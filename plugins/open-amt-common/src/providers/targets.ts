export const TARGET_IDS = ['compose', 'kubernetes', 'aks', 'eks'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export interface TargetInfo {
  id: TargetId;
  label: string;
  /** Kubernetes flavours share the manifests; aks/eks add their cloud specifics. */
  platform: 'compose' | 'kubernetes';
}

export const TARGETS: Record<TargetId, TargetInfo> = {
  compose: {
    id: 'compose',
    label: 'Docker Compose (a VM)',
    platform: 'compose',
  },
  kubernetes: {
    id: 'kubernetes',
    label: 'Kubernetes (generic)',
    platform: 'kubernetes',
  },
  aks: {
    id: 'aks',
    label: 'Azure Kubernetes Service (AKS)',
    platform: 'kubernetes',
  },
  eks: {
    id: 'eks',
    label: 'Amazon Elastic Kubernetes Service (EKS)',
    platform: 'kubernetes',
  },
};
