{{/*
Names and labels. The fullname is the release name, or release-chart when the release name does
not already hold the chart's name; 63 characters at most (a DNS label).
*/}}
{{- define "velferd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "velferd.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "velferd.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "velferd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "component" "web") */}}
{{- define "velferd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "velferd.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "velferd.componentLabels" -}}
{{ include "velferd.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "velferd.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "velferd.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "velferd.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "velferd.instanceClaim" -}}
{{- default (printf "%s-instance" (include "velferd.fullname" .)) .Values.persistence.existingClaim }}
{{- end }}

{{/*
The non-secret settings, VELFERD_* name: text. The ConfigMap holds them for web, worker and beat;
the migration Job gets them inline, because a pre-install hook runs before the ConfigMap exists.
*/}}
{{- define "velferd.settings" -}}
VELFERD_ENV: production
VELFERD_INSTANCE_PATH: {{ .Values.persistence.mountPath | quote }}
VELFERD_DB_APP_ROLE: {{ .Values.database.appRole | quote }}
VELFERD_SMTP_HOST: {{ .Values.smtp.host | quote }}
VELFERD_SMTP_PORT: {{ .Values.smtp.port | quote }}
VELFERD_SMTP_STARTTLS: {{ .Values.smtp.starttls | quote }}
{{- with .Values.smtp.user }}
VELFERD_SMTP_USER: {{ . | quote }}
{{- end }}
{{- range $name, $value := .Values.settings }}
VELFERD_{{ $name }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* One env entry from a {name, key} Secret reference: (list "VARIABLE" $ref) */}}
{{- define "velferd.secretEnv" -}}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ (index . 1).name | quote }}
      key: {{ (index . 1).key | quote }}
{{- end }}

{{/* The secrets of web, worker and beat: the app role's database URL, never the owner's */}}
{{- define "velferd.appSecretEnv" -}}
{{ include "velferd.secretEnv" (list "VELFERD_SECRET_KEY" .Values.secretKey.secret) }}
{{ include "velferd.secretEnv" (list "VELFERD_DATABASE_URL" .Values.database.appSecret) }}
{{ include "velferd.secretEnv" (list "VELFERD_REDIS_URL" .Values.redis.secret) }}
{{- with .Values.smtp.passwordSecret }}
{{ include "velferd.secretEnv" (list "VELFERD_SMTP_PASSWORD" .) }}
{{- end }}
{{- end }}

{{- define "velferd.envFrom" -}}
- configMapRef:
    name: {{ include "velferd.fullname" . }}
{{- with .Values.extraEnvFrom }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The pod's security context: uid 10001 (the image's user), never root */}}
{{- define "velferd.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "velferd.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
{{- end }}

{{/* Mounts: the instance folder and /tmp, the only writable paths */}}
{{- define "velferd.volumeMounts" -}}
- name: instance
  mountPath: {{ .Values.persistence.mountPath | quote }}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Volumes: (dict "root" $ "shared" true) — the shared claim for web and worker, an emptyDir otherwise */}}
{{- define "velferd.volumes" -}}
- name: instance
{{- if .shared }}
  persistentVolumeClaim:
    claimName: {{ include "velferd.instanceClaim" .root }}
{{- else }}
  emptyDir: {}
{{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 1Gi
{{- end }}

{{/* Pod annotations: a settings change rolls the pods */}}
{{- define "velferd.podAnnotations" -}}
checksum/settings: {{ include "velferd.settings" . | sha256sum }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "velferd.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
