/** A recognisable fake runner token: if any part of the tool prints it, the output checks find it. */
export const PLANTED_SECRET = 'glrt-SECRETSECRETSECRET123'

/** The distinctive middle of the token: a truncated or mutated copy still contains it. */
export const SECRET_MARK = 'SECRETSECRETSECRET'

/** Lines that put the planted secret under every kind of credential key lint knows, in both syntaxes. */
export const SECRET_LINES_YAML = [
  `runnerToken: "${PLANTED_SECRET}"`,
  `runnerRegistrationToken: ${PLANTED_SECRET}`,
  `token: '${PLANTED_SECRET}'`,
  `AccessKey: ${PLANTED_SECRET}`,
  `SecretKey: "${PLANTED_SECRET}"`,
  `bearer_token: ${PLANTED_SECRET}`,
]

export const SECRET_LINES_TOML = [
  `token = "${PLANTED_SECRET}"`,
  `bearer_token = "${PLANTED_SECRET}"`,
  `AccessKey = "${PLANTED_SECRET}"`,
  `SecretKey = '${PLANTED_SECRET}'`,
  `token = """${PLANTED_SECRET}"""`,
]

const SECRET_ASSIGNMENT =
  /^(\s*-?\s*["']?(?:token|runnerToken|runnerRegistrationToken|bearer_token|AccessKey|SecretKey|SessionToken)["']?\s*[:=]\s*)(.*)$/gim

/** Replaces the value of every credential key in a realistic file with the planted secret, keeping the quoting style. */
export function plantSecrets(text: string): string {
  return text.replace(SECRET_ASSIGNMENT, (_all, head: string, value: string) => {
    const trimmed = value.trim()
    if (trimmed === '' || trimmed === '""' || trimmed === "''") return `${head}"${PLANTED_SECRET}"`
    const quote = trimmed[0] === '"' || trimmed[0] === "'" ? trimmed[0] : ''
    return `${head}${quote}${PLANTED_SECRET}${quote}`
  })
}

/** Seeds written for this suite: every credential in every place a user puts one, in each input form. */
export const SECRET_SEEDS: Record<string, string> = {
  'secret-values.yaml': `gitlabUrl: https://gitlab.example.com/
runnerToken: "${PLANTED_SECRET}"
runnerRegistrationToken: "${PLANTED_SECRET}"
concurrent: 4
runners:
  secret: ""
  config: |
    [[runners]]
      token = "${PLANTED_SECRET}"
      [runners.kubernetes]
        namespace = "{{.Release.Namespace}}"
        image = "alpine:3.20"
        bearer_token = "${PLANTED_SECRET}"
        privileged = true
      [runners.cache]
        Type = "s3"
        [runners.cache.s3]
          ServerAddress = "minio.example.com"
          AccessKey = "${PLANTED_SECRET}"
          SecretKey = "${PLANTED_SECRET}"
          BucketName = "runner-cache"
`,
  'secret-config.toml': `concurrent = 2
check_interval = 0

[[runners]]
  name = "k8s"
  url = "https://gitlab.example.com/"
  token = "${PLANTED_SECRET}"
  executor = "kubernetes"
  [runners.kubernetes]
    host = "https://kubernetes.default.svc"
    bearer_token = "${PLANTED_SECRET}"
    image = "alpine:latest"
    cpu_request = "1GB"
  [runners.cache]
    Type = "s3"
    [runners.cache.s3]
      AccessKey = "${PLANTED_SECRET}"
      SecretKey = "${PLANTED_SECRET}"
`,
  'secret-configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: gitlab-runner
data:
  config.toml: |
    concurrent = 3
    [[runners]]
      token = "${PLANTED_SECRET}"
      executor = "kubernetes"
      [runners.kubernetes]
        bearer_token = "${PLANTED_SECRET}"
        privileged = true
`,
  'secret-templated.yaml': `gitlab-runner:
  gitlabUrl: https://gitlab.example.com/
  runnerToken: ${PLANTED_SECRET}
  runners:
    config: |
      [[runners]]
        token = "${PLANTED_SECRET}"
        {{- if .Values.cache }}
        [runners.cache]
          [runners.cache.s3]
            AccessKey = "{{ .Values.cache.key }}"
            SecretKey = "${PLANTED_SECRET}"
        {{- else }}
        [runners.feature_flags]
          FF_USE_FASTZIP = true
        {{- end }}
        [runners.kubernetes]
          image = "{{ .Values.image }}"
          {{ toToml .Values.extra }}
`,
  'secret-argocd.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: gitlab-runner
spec:
  source:
    chart: gitlab-runner
    repoURL: https://charts.gitlab.io
    helm:
      values: |
        runnerToken: "${PLANTED_SECRET}"
        runners:
          config: |
            [[runners]]
              [runners.kubernetes]
                bearer_token = "${PLANTED_SECRET}"
`,
}
