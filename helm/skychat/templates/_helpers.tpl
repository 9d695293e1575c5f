{{/* Names and labels. */}}
{{- define "skychat.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "skychat.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "skychat.selectorLabels" -}}
app.kubernetes.io/name: {{ include "skychat.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "skychat.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "skychat.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: {{ .Values.mode }}
{{- end -}}

{{- define "skychat.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The mode, checked: anything else stops the install. */}}
{{- define "skychat.mode" -}}
{{- if not (has .Values.mode (list "standalone" "visor-sidecar")) -}}
{{- fail (printf "mode must be standalone or visor-sidecar, not %q" .Values.mode) -}}
{{- end -}}
{{- if and (eq .Values.mode "visor-sidecar") (not (regexMatch "^0[23][0-9a-f]{64}$" .Values.visor.pk)) -}}
{{- fail "visor-sidecar mode needs visor.pk: the visor's public key (66 hex characters)" -}}
{{- end -}}
{{- .Values.mode -}}
{{- end -}}

{{/* The Secret holding the API token (and the identity key when given as a value). */}}
{{- define "skychat.tokenSecret" -}}
{{- default (include "skychat.fullname" .) .Values.apiToken.existingSecret -}}
{{- end -}}

{{/* The token: given, else the one already in the cluster, else a new one. */}}
{{- define "skychat.apiToken" -}}
{{- if .Values.apiToken.value -}}
{{- .Values.apiToken.value -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "skychat.fullname" .) -}}
{{- if and $existing $existing.data (hasKey $existing.data "api.token") -}}
{{- index $existing.data "api.token" | b64dec -}}
{{- else -}}
{{- randAlphaNum 48 -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The skychat container's arguments (they replace the image's default command). */}}
{{- define "skychat.args" -}}
{{- $control := ternary (printf "*:%v" .Values.ports.control) (printf "127.0.0.1:%v" .Values.ports.control) .Values.service.exposeControl -}}
- --addr
- {{ $control | quote }}
- --management-addr
- {{ printf "*:%v" .Values.ports.management | quote }}
{{- if eq (include "skychat.mode" .) "standalone" }}
- --standalone
{{- if .Values.standalone.tcpListen }}
- --tcp-listen
- {{ printf "*:%v" .Values.ports.tcpDirect | quote }}
{{- end }}
{{- range .Values.standalone.tcpPeers }}
- --tcp-peer
- {{ . | quote }}
{{- end }}
{{- with .Values.standalone.tcpWhitelist }}
- --tcp-whitelist
- {{ join "," . | quote }}
{{- end }}
{{- if .Values.standalone.dmsg }}
- --dmsg
{{- end }}
{{- else }}
- --app-server
- {{ printf "127.0.0.1:%v" .Values.visor.appServerPort | quote }}
- --visor-rpc
- {{ printf "127.0.0.1:%v" .Values.visor.rpcPort | quote }}
- --visor-pk
- {{ .Values.visor.pk | quote }}
{{- end }}
{{- range .Values.allowedHosts }}
- --allowed-host
- {{ . | quote }}
{{- end }}
{{- range .Values.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}
