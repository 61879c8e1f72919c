/**
 * The Web UI's nginx server block on Kubernetes: a ConfigMap mounted by subPath over the one file the image reads
 * (as upstream's Helm chart does), so the rest of /etc/nginx and the web root stay the image's own.
 */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type { K8sObject } from './kubernetesWorkloads';
import { labelsFor } from './kubernetesWorkloads';
import {
  WEBUI_NGINX_CONF,
  WEBUI_NGINX_CONF_PATH,
  WEBUI_NGINX_CONFIGMAP,
} from './webui';

const KEY = 'default.conf';

export function webUiConfigMap(spec: DeploymentSpec): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: WEBUI_NGINX_CONFIGMAP,
      namespace: spec.namespace,
      labels: labelsFor(spec, 'webui'),
    },
    data: { [KEY]: WEBUI_NGINX_CONF },
  };
}

export const webUiMount = {
  volume: {
    name: WEBUI_NGINX_CONFIGMAP,
    configMap: {
      name: WEBUI_NGINX_CONFIGMAP,
      items: [{ key: KEY, path: KEY }],
    },
  },
  volumeMount: {
    name: WEBUI_NGINX_CONFIGMAP,
    mountPath: WEBUI_NGINX_CONF_PATH,
    subPath: KEY,
    readOnly: true,
  },
};
