# Recording stand-ins of the CLIs the runbook's steps call, as exported bash functions (no process per call).
# State lives in $STANDIN: store/<key> holds an entry as compact JSON (key: vault:<mount>/<path>,
# azure:<vault>/<name>, aws:<region>/<name>); log records `write <key>`, `read <key>`, `miss <key>` and what ran.
# Reads of an absent entry fail as the real CLI does (its message on stderr, its exit code), so a script under
# `set -e` that reads an entry a later step writes aborts here as it would for real. A subcommand the stand-ins do
# not model fails with exit 97: the harness reports it instead of pretending it ran.
# What is verified here: bash and the generated scripts run for real; the jq model against the real jq and the
# env_file check against docker-compose 1.29 (runbookHarness.test.ts). Not verified here (the CLIs are not installed):
# the vault, az and aws messages and exit codes, taken from their documentation — only "fails, non-zero" is relied on.

_si_log() { printf '%s\n' "$*" >>"$STANDIN/log"; }
# Functions return through REPLY / _SI_F rather than stdout: a command substitution forks, and forks are the cost.
_si_file() { _SI_F="$STANDIN/store/${1//\//%}"; }
_si_put() { _si_file "$1"; printf '%s' "$2" >"$_SI_F"; _si_log "write $1"; }
_si_has() { _si_file "$1"; [[ -f $_SI_F ]]; }
_si_slurp() { IFS= read -r -d '' REPLY <"$1" || true; }
_si_get() {
  if _si_has "$1"; then _si_log "read $1"; _si_slurp "$_SI_F"; return 0; fi
  _si_log "miss $1"
  return 1
}
_si_unmodelled() { echo "stand-in: \`$*\` is not modelled" >&2; _si_log "unmodelled $*"; return 97; }

# JSON string escaping / unescaping (the subset entries use: quotes, backslashes, control characters).
_si_json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}; s=${s//$'\r'/\\r}
  REPLY="\"$s\""
}
_si_json_unstr() {
  local s=$1
  s=${s//\\\\/$'\x01'}; s=${s//\\n/$'\n'}; s=${s//\\t/$'\t'}; s=${s//\\r/$'\r'}; s=${s//\\\"/\"}; s=${s//\\\//\/}
  s=${s//$'\x01'/\\}
  REPLY=$s
}
# The value of one top-level key of a JSON object whose values are strings, numbers, or objects nested at most twice
# (what the stand-ins print); members are consumed left to right, so a nested key of the same name is not taken.
_si_json_field() {
  local rest=${1#\{} key=$2 str='"(\\.|[^"\\])*"'
  local flat="\{([^{}\"]|$str)*\}"
  local value="($str|[-0-9.a-z]+|\{([^{}\"]|$str|$flat)*\})"
  local member="^ *($str) *: *$value *,?"
  while [[ $rest =~ $member ]]; do
    if [[ ${BASH_REMATCH[1]} == "\"$key\"" ]]; then REPLY=${BASH_REMATCH[3]}; return 0; fi
    rest=${rest:${#BASH_REMATCH[0]}}
  done
  REPLY=null
}
# `k=v k=@file …` → a JSON object (vault kv put's argument form).
_si_kv_json() {
  local out='' pair k v
  for pair in "$@"; do
    k=${pair%%=*}; v=${pair#*=}
    if [[ $v == @* ]]; then
      [[ -r ${v#@} ]] || { echo "Error parsing arguments: open ${v#@}: no such file or directory" >&2; return 1; }
      _si_slurp "${v#@}"; v=$REPLY  # the file as it is, final newline included
    fi
    _si_json_str "$v"
    out+="${out:+,}\"$k\":$REPLY"
  done
  REPLY="{$out}"
}

# jq: the filters the rendered scripts use — `.`, `.a.b` (-r, -c), and `-n` with --arg/--rawfile building
# `{k: $k, …}`. A model, checked against the real jq by runbookHarness.test.ts (jq 1.6 costs ~20 ms a call).
jq() {
  local raw=0 null=0 filter='' json k
  local -A vars=()
  while (($#)); do
    case $1 in
      -r) raw=1 ;;
      -c) ;;
      -n) null=1 ;;
      -rc|-cr) raw=1 ;;
      --arg) vars[$2]=$3; shift 2 ;;
      --rawfile)
        [[ -r $3 ]] || { echo "jq: error: Could not open $3: No such file or directory" >&2; return 2; }
        _si_slurp "$3"; vars[$2]=$REPLY; shift 2 ;;
      -*) _si_unmodelled jq "$@"; return ;;
      *) filter=$1 ;;
    esac
    shift
  done
  if ((null)); then
    [[ $filter =~ ^\{(.*)\}$ ]] || { _si_unmodelled jq -n "$filter"; return; }
    local out='' part
    IFS=',' read -ra parts <<<"${BASH_REMATCH[1]}"
    for part in "${parts[@]}"; do
      [[ $part =~ ^\ *([A-Za-z_][A-Za-z0-9_]*):\ *\$([A-Za-z_][A-Za-z0-9_]*)\ *$ ]] || { _si_unmodelled jq -n "$filter"; return; }
      [[ -v vars[${BASH_REMATCH[2]}] ]] || { echo "jq: error: \$${BASH_REMATCH[2]} is not defined" >&2; return 3; }
      local field=${BASH_REMATCH[1]}
      _si_json_str "${vars[${BASH_REMATCH[2]}]}"
      out+="${out:+,}\"$field\":$REPLY"
    done
    printf '{%s}\n' "$out"
    return 0
  fi
  IFS= read -r -d '' json || true
  json=${json%$'\n'}
  [[ $filter =~ ^(\.[A-Za-z_][A-Za-z0-9_]*)+$|^\.$ ]] || { _si_unmodelled jq "$filter"; return; }
  # No input (an empty here-string): jq prints nothing and succeeds — a script reading an absent entry inside a
  # here-string goes on with an empty file; the harness's `miss` record still reports the read.
  [[ $json =~ ^[[:space:]]*$ ]] && return 0
  [[ $json == \{* || $json == null ]] || { echo "jq: error (at <stdin>:0): Cannot index string" >&2; return 5; }
  local path=${filter#.}
  if [[ -n $path ]]; then
    IFS=. read -ra keys <<<"$path"
    for k in "${keys[@]}"; do
      if [[ $json != \{* ]]; then REPLY=null; json=null; break; fi
      _si_json_field "$json" "$k"; json=$REPLY
    done
  fi
  if ((raw)) && [[ $json == \"* ]]; then _si_json_unstr "${json:1:${#json}-2}"; printf '%s\n' "$REPLY"; else printf '%s\n' "$json"; fi
}

_si_vault_ready() {
  [[ -n ${VAULT_ADDR:-} ]] || { echo 'Error: dial tcp 127.0.0.1:8200: connect: connection refused' >&2; return 2; }
  [[ -n ${VAULT_TOKEN:-} ]] || { echo 'Error making API request. Code: 403. Errors: * permission denied' >&2; return 2; }
}
vault() {
  _si_vault_ready || return
  local cmd="$1 ${2:-}"
  case $cmd in
    'secrets list')
      local out='"cubbyhole/":{},"identity/":{},"sys/":{}' m
      for m in "$STANDIN"/mounts/*; do [[ -e $m ]] && out+=",\"${m##*/}/\":{\"type\":\"kv\"}"; done
      printf '{%s}\n' "$out" ;;
    'secrets enable')
      local p='' a
      for a in "${@:3}"; do [[ $a == -path=* ]] && p=${a#-path=}; done
      [[ -e $STANDIN/mounts/$p ]] && { echo "Error enabling: path is already in use at $p/" >&2; return 2; }
      : >"$STANDIN/mounts/$p"; _si_log "mount $p" ;;
    'policy write')
      [[ -r $4 ]] || { echo "Error opening policy file: open $4: no such file or directory" >&2; return 2; }
      _si_log "policy $3" ;;
    'auth list')
      local out='"token/":{"type":"token"}' m
      for m in "$STANDIN"/auth/*; do [[ -e $m ]] && out+=",\"${m##*/}/\":{\"type\":\"${m##*/}\"}"; done
      printf '{%s}\n' "$out" ;;
    'auth enable') : >"$STANDIN/auth/$3"; _si_log "auth $3" ;;
    read\ *)
      local p=${*: -1}
      [[ -e $STANDIN/auth/config:${p//\//%} ]] || { echo "No value found at $p" >&2; return 2; }
      echo configured ;;
    write\ *)
      local a
      for a in "${@:3}"; do
        [[ $a == *=@* && ! -r ${a#*=@} ]] && { echo "Error parsing arguments: open ${a#*=@}: no such file or directory" >&2; return 1; }
      done
: >"$STANDIN/auth/config:${2//\//%}"; _si_log "vault-config $2" ;;
    'token create') echo "hvs.standin$RANDOM" ;;
    'kv put' | 'kv get')
      local mount='' fmt='' a rest=()
      for a in "${@:3}"; do
        case $a in
          -mount=*) mount=${a#-mount=} ;;
          -format=*) fmt=${a#-format=} ;;
          -*) _si_unmodelled vault "$@"; return ;;
          *) rest+=("$a") ;;
        esac
      done
      [[ -n $mount && -e $STANDIN/mounts/$mount ]] || { echo "Error making API request. Code: 403. Errors: * preflight capability check returned 403, please ensure client's policies grant access to path \"$mount/\"" >&2; return 2; }
      local key="vault:$mount/${rest[0]}"
      if [[ $2 == put ]]; then
        _si_kv_json "${rest[@]:1}" || return 2
        _si_put "$key" "$REPLY"
      else
        _si_get "$key" || { echo "No value found at $mount/data/${rest[0]}" >&2; return 2; }
        [[ $fmt == json ]] || { _si_unmodelled vault "$@"; return; }
        printf '{"data":{"data":%s,"metadata":{"version":1}}}\n' "$REPLY"
      fi ;;
    *) _si_unmodelled vault "$@" ;;
  esac
}

# az: what the runbook and resolve script call; the vault exists once its Bicep (param vaultName) is deployed.
az() {
  local cmd="$1 ${2:-} ${3:-}" a prev='' vaultName='' name='' value='' file='' query='' output=''
  for a in "$@"; do
    case $prev in
      --vault-name) vaultName=$a ;; --name|-n) name=$a ;; --value) value=$a ;;
      -f|--template-file) file=$a ;; --query) query=$a ;; -o|--output) output=$a ;;
    esac
    prev=$a
  done
  case $cmd in
    'deployment group create')
      [[ -r $file ]] || { echo "ERROR: [Errno 2] No such file or directory: '$file'" >&2; return 1; }
      _si_slurp "$file"; local bicep=$REPLY
      if [[ $bicep =~ param\ vaultName\ string\ =\ \'([^\']+)\' && $bicep == *Microsoft.KeyVault/vaults* ]]; then
        : >"$STANDIN/azure-vaults/${BASH_REMATCH[1]}"; _si_log "azure-vault ${BASH_REMATCH[1]}"
      else _si_log "azure-deployment $file"; fi ;;
    'keyvault secret set' | 'keyvault secret show')
      [[ -e $STANDIN/azure-vaults/$vaultName ]] || { echo "ERROR: Max retries exceeded: Failed to resolve '$vaultName.vault.azure.net'" >&2; return 1; }
      # Bounded repetition ({1,127}) makes glibc compile a huge automaton (~20 ms): a class and a length instead.
      [[ $name =~ ^[0-9a-zA-Z-]+$ && ${#name} -le 127 ]] || { echo "ERROR: (BadParameter) The request URI contains an invalid name: $name" >&2; return 1; }
      if [[ $2 == secret && $3 == set ]]; then
        _si_put "azure:$vaultName/$name" "$value"
        [[ $output == none ]] || echo "{\"id\":\"https://$vaultName.vault.azure.net/secrets/$name\"}"
      else
        _si_get "azure:$vaultName/$name" || { echo "ERROR: (SecretNotFound) A secret with (name/id) $name was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command." >&2; return 1; }
        [[ $query == value && $output == tsv ]] || { _si_unmodelled az "$@"; return; }
        printf '%s\n' "$REPLY"
      fi ;;
    'acr login --name')
      # Needs the registry deployed and the caller's AcrPush; modelled: a Docker login to <name>.azurecr.io.
      : >"$STANDIN/logins/$name.azurecr.io"; _si_log "docker-login $name.azurecr.io"; echo 'Login Succeeded' ;;
    *) _si_unmodelled az "$@" ;;
  esac
}

aws() {
  local a prev='' region=${AWS_REGION:-} name='' value='' file='' query='' output=''
  for a in "$@"; do
    case $prev in
      --region) region=$a ;; --name|--secret-id) name=$a ;; --secret-string) value=$a ;;
      --template-file) file=$a ;; --query) query=$a ;; --output) output=$a ;;
    esac
    prev=$a
  done
  [[ -n $region ]] || { echo 'You must specify a region. You can also configure your region by running "aws configure".' >&2; return 253; }
  local key="aws:$region/$name"
  case "$1 ${2:-}" in
    'cloudformation deploy')
      [[ -r $file ]] || { echo "Invalid template path $file" >&2; return 255; }
      _si_log "aws-stack $file" ;;
    'secretsmanager create-secret')
      [[ $name =~ ^[A-Za-z0-9/_+=.@-]+$ && ${#name} -le 512 ]] || { echo "An error occurred (ValidationException) when calling the CreateSecret operation: Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!" >&2; return 254; }
      _si_has "$key" && { echo "An error occurred (ResourceExistsException) when calling the CreateSecret operation: The operation failed because the secret $name already exists." >&2; return 254; }
      _si_put "$key" "$value" ;;
    'secretsmanager put-secret-value')
      _si_has "$key" || { echo "An error occurred (ResourceNotFoundException) when calling the PutSecretValue operation: Secrets Manager can't find the specified secret." >&2; return 254; }
      _si_put "$key" "$value" ;;
    'secretsmanager get-secret-value')
      _si_get "$key" || { echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret." >&2; return 254; }
      [[ $query == SecretString && $output == text ]] || { _si_unmodelled aws "$@"; return; }
      printf '%s\n' "$REPLY" ;;
    'ecr get-login-password') printf 'standin-ecr-password-%s\n' "$region" ;;
    *) _si_unmodelled aws "$@" ;;
  esac
}

# kubectl apply -k: records what the store holds at that moment (External Secrets reads it from then on).
kubectl() {
  if [[ $1 == apply && $2 == -k ]]; then
    [[ -r ${3%/}/kustomization.yaml ]] || { echo "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '$3'" >&2; return 1; }
    local f
    for f in "$STANDIN"/store/*; do [[ -e $f ]] && _si_log "applied-with ${f##*/}"; done
    _si_log "kubectl-apply $3"
    return 0
  fi
  _si_unmodelled kubectl "$@"
}

# docker-compose up: every env_file must exist (docker-compose 1.29 refuses to start otherwise); a bind mount's
# source must exist (Docker would create an empty directory in its place); an image the repository builds must have
# been pushed (compose pulls it: "manifest unknown" otherwise); what each service mounts is listed with
# owner and mode for the readability check. $STANDIN/compose-inputs is written by the harness from the compose file.
docker-compose() {
  [[ $1 == up ]] || { _si_unmodelled docker-compose "$@"; return; }
  local kind service path
  while read -r kind service path; do
    case $kind in
      envfile) [[ -e $path ]] || { echo "ERROR: Couldn't find env file: $PWD/$path" >&2; return 1; } ;;
      mount)
        [[ -e $path ]] || { echo "bind source $path of $service is missing: Docker would mount an empty directory" >&2; return 1; }
        find "$path" -printf "mounted $service %p %U %G %m %y\n" >>"$STANDIN/log" ;;
      # A resource the service reads at start (harness: startRequirements.ts); without it the container exits.
      needs) _si_has "$path" || { echo "$service exits at start: $path does not exist yet" >&2; return 1; } ;;
      # An image this repository builds: compose pulls it from the registry, where only a push puts it.
      pulls) [[ -e $STANDIN/pushed/${path//\//%} ]] || { echo "ERROR: manifest for $path not found: manifest unknown: manifest unknown" >&2; return 1; } ;;
    esac
  done <"$STANDIN/compose-inputs"
  _si_log "compose-up"
}

# gcloud endpoints services deploy <openapi.yaml>: creates (or rolls out) the service named by the document's host
# (Cloud Endpoints docs: the service name is the OpenAPI `host`); recorded as gcloud:endpoints/<host>.
gcloud() {
  if [[ $1 == endpoints && $2 == services && $3 == deploy ]]; then
    [[ -r $4 ]] || { echo "ERROR: (gcloud.endpoints.services.deploy) Unable to read file [$4]" >&2; return 1; }
    local line host=
    while IFS= read -r line; do [[ $line =~ ^host:\ *\"?([^\"]+)\"?$ ]] && host=${BASH_REMATCH[1]}; done <"$4"
    [[ -n $host ]] || { echo "ERROR: (gcloud.endpoints.services.deploy) $4 has no host" >&2; return 1; }
    _si_put "gcloud:endpoints/$host" '{}'
    return 0
  fi
  _si_unmodelled gcloud "$@"
}
# docker build: the context and its Dockerfile must exist, and every COPY source inside the context (BuildKit: "failed to
# calculate checksum of ref …: "/<src>": not found"); the tag is then built. docker login --password-stdin needs a
# password on stdin; docker push needs a built tag and a login to its registry host ("unauthorized: authentication
# required"). Records docker-build, docker-login and docker-push.
docker() {
  local tag='' file='' ctx='' host='' password
  case $1 in
    build)
      shift
      while (($#)); do
        case $1 in
          -t|--tag) tag=$2; shift ;;
          -f|--file) file=$2; shift ;;
          --pull) ;;
          -*) _si_unmodelled docker build "$1"; return ;;
          *) ctx=$1 ;;
        esac
        shift
      done
      [[ -n $tag && -d $ctx ]] || { echo "ERROR: unable to prepare context: path \"$ctx\" not found" >&2; return 1; }
      file=${file:-$ctx/Dockerfile}
      [[ -r $file ]] || { echo "ERROR: failed to solve: failed to read dockerfile: open $file: no such file or directory" >&2; return 1; }
      local line copy='^COPY +(--[^ ]+ +)*([^ ]+) +[^ ]+$'
      while IFS= read -r line; do
        [[ $line =~ $copy ]] || continue
        [[ -e $ctx/${BASH_REMATCH[2]} ]] || { echo "ERROR: failed to solve: failed to calculate checksum of ref: \"/${BASH_REMATCH[2]}\": not found" >&2; return 1; }
      done <"$file"
      : >"$STANDIN/images/${tag//\//%}"; _si_log "docker-build $tag $ctx" ;;
    login)
      shift
      local stdin=0
      while (($#)); do
        case $1 in
          -u|--username) shift ;;
          --password-stdin) stdin=1 ;;
          -*) _si_unmodelled docker login "$1"; return ;;
          *) host=$1 ;;
        esac
        shift
      done
      ((stdin)) || { _si_unmodelled docker login without --password-stdin; return; }
      IFS= read -r password || true
      [[ -n $password && -n $host ]] || { echo 'Error: Cannot perform an interactive login from a non TTY device' >&2; return 1; }
      : >"$STANDIN/logins/$host"; _si_log "docker-login $host"; echo 'Login Succeeded' ;;
    push)
      tag=$2; host=${2%%/*}
      [[ -e $STANDIN/images/${tag//\//%} ]] || { echo "An image does not exist locally with the tag: ${tag%:*}" >&2; return 1; }
      [[ -e $STANDIN/logins/$host ]] || { echo 'unauthorized: authentication required' >&2; return 1; }
      : >"$STANDIN/pushed/${tag//\//%}"; _si_log "docker-push $tag" ;;
    *) _si_unmodelled docker "$@" ;;
  esac
}
sudo() { "$@"; }

export -f $(compgen -A function _si_)
export -f jq vault az aws kubectl docker-compose docker gcloud sudo
