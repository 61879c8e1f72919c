/**
 * The Web UI's nginx server block. The sample-web-ui image (v3.27.4 and v3.61.1, the releases' images) is
 * nginx:mainline-alpine-slim with the Angular build copied to /usr/share/nginx/html and no configuration of its own
 * (Dockerfile): without one mounted, nginx's packaged default.conf answers a deep link such as /devices/<guid> with
 * 404. Upstream mounts its nginx.conf over /etc/nginx/conf.d/default.conf (deployment docker-compose.yml `webui`
 * volumes; Helm templates/webui.yaml ConfigMap `nginx-config-file`, subPath). Upstream's file answers every missing
 * path with index.html under status 404 (`error_page 404 /index.html`); ours serves client routes with 200 and keeps
 * upstream's answer for a missing file (a path with an extension: 404, index.html as body).
 * The image's init.sh rewrites the bundle in the web root with `sed -i` at start: nothing is mounted over it.
 */
import { RenderedFile } from './types';

/** Where the image's nginx reads its server block (nginx.conf includes conf.d/*.conf). */
export const WEBUI_NGINX_CONF_PATH = '/etc/nginx/conf.d/default.conf';
/** The rendered file (compose bind-mounts it; Kubernetes carries it in the ConfigMap `webui-nginx`). */
export const WEBUI_NGINX_FILE = 'webui/nginx.conf';
export const WEBUI_NGINX_CONFIGMAP = 'webui-nginx';

export const WEBUI_NGINX_CONF = `# The Web UI's nginx server block, mounted at ${WEBUI_NGINX_CONF_PATH} (where the image's nginx reads it).
server {
    listen 80 default_server;
    listen [::]:80 default_server;
    server_name _;
    root /usr/share/nginx/html;
    index index.html;

    # A path with an extension is a file of the build: served when it exists, 404 otherwise (a missing script must
    # not come back as HTML with 200).
    location ~ \\.[A-Za-z0-9]+$ {
        try_files $uri =404;
    }

    # Every other path is a route of the single-page app (/devices/<guid>, /profiles): index.html, 200.
    location / {
        try_files $uri $uri/ /index.html;
    }

    # As upstream: a missing file gets index.html as its body (status 404 kept), server errors the image's 50x.html.
    error_page 404 /index.html;
    error_page 500 502 503 504 /50x.html;
}
`;

export function renderWebUiFiles(): RenderedFile[] {
  return [{ path: WEBUI_NGINX_FILE, content: WEBUI_NGINX_CONF }];
}
