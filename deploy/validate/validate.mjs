// Offline validation of deploy/: nothing here talks to a Docker engine or a Kubernetes API server.
//
//   node validate.mjs --compose FILE --collector FILE --dockerfile FILE --k8s FILE...
//
// - compose: the Compose Specification JSON schema (the copy dclint ships), then references between services,
//   volumes and bind-mounted files that a schema cannot see.
// - collector: every receiver, processor and exporter a pipeline names is defined.
// - dockerfile: every COPY source from the build context exists and is not excluded by .dockerignore.
// - k8s: each object against the Kubernetes API schemas (kubernetes-models: types, required fields, enums),
//   then field names against the API types of @kubernetes/client-node, because those schemas accept unknown
//   fields and a misspelt `readinesProbe` would otherwise pass silently.
// - auth: the image turns authentication on (Cables__Auth__Mode=Jwt, a signing key file), and compose and the
//   Deployment give it an issuer and an audience, mount the key's folder (from a Secret in k8s) and never turn it off.
// Prints one line per problem and exits 1 when there is any.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import Ajv from "ajv";
import * as k8sTypes from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const { values: args } = parseArgs({
  options: {
    compose: { type: "string" },
    collector: { type: "string" },
    dockerfile: { type: "string" },
    k8s: { type: "string", multiple: true, default: [] },
    "k8s-label": { type: "string" }, // how to name the k8s input in messages (e.g. a kustomize build in a temp file)
  },
});

const problems = [];
const report = (file, message) => problems.push(`${relative(process.cwd(), resolve(file))}: ${message}`);

function readYaml(file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { prettyErrors: true, merge: true });
  const objects = [];
  for (const doc of docs) {
    for (const error of doc.errors) report(file, `YAML: ${error.message}`);
    for (const warning of doc.warnings) report(file, `YAML: ${warning.message}`);
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value != null) objects.push(value);
  }
  return objects;
}

function validateCompose(file) {
  const [compose] = readYaml(file);
  if (!compose) return report(file, "empty compose file");
  // The schema names its meta-schema by an https URL that Ajv does not know by that name (Ajv ships draft-07 as
  // http://); draft-07 is Ajv's default, so the name is dropped.
  const { $schema: _, ...schema } = JSON.parse(readFileSync(join(dirname(require.resolve("dclint/package.json")), "schemas/compose.schema.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(schema);
  if (!validate(compose)) {
    for (const e of validate.errors) report(file, `compose schema: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  }

  const services = compose.services ?? {};
  const volumes = compose.volumes ?? {};
  for (const [name, service] of Object.entries(services)) {
    const dependsOn = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    for (const dependency of dependsOn) {
      if (!(dependency in services)) report(file, `services.${name}.depends_on: no service named ${dependency}`);
    }
    for (const mount of service.volumes ?? []) {
      const source = typeof mount === "string" ? mount.split(":")[0] : mount.source;
      if (!source) continue;
      if (source.startsWith(".") || source.startsWith("/")) {
        if (!existsSync(resolve(dirname(file), source))) report(file, `services.${name}.volumes: ${source} does not exist`);
      } else if (!(source in volumes)) {
        report(file, `services.${name}.volumes: named volume ${source} is not declared under volumes:`);
      }
    }
    const build = typeof service.build === "string" ? { context: service.build } : service.build;
    if (build) {
      const context = resolve(dirname(file), build.context ?? ".");
      const dockerfile = resolve(context, build.dockerfile ?? "Dockerfile");
      if (!existsSync(dockerfile)) report(file, `services.${name}.build: ${dockerfile} does not exist`);
      else if (build.target && !dockerfileStages(dockerfile).includes(build.target)) {
        report(file, `services.${name}.build.target: no stage ${build.target} in ${relative(process.cwd(), dockerfile)}`);
      }
    }
  }
}

function validateCollector(file) {
  const [config] = readYaml(file);
  if (!config) return report(file, "empty collector configuration");
  const pipelines = config.service?.pipelines ?? {};
  if (Object.keys(pipelines).length === 0) report(file, "service.pipelines: no pipeline");
  for (const [pipeline, parts] of Object.entries(pipelines)) {
    if (!/^(traces|metrics|logs)(\/.+)?$/.test(pipeline)) report(file, `service.pipelines.${pipeline}: not a traces, metrics or logs pipeline`);
    for (const kind of ["receivers", "processors", "exporters"]) {
      for (const component of parts[kind] ?? []) {
        if (!(component in (config[kind] ?? {}))) report(file, `service.pipelines.${pipeline}.${kind}: ${component} is not defined under ${kind}:`);
      }
    }
    if (!parts.receivers?.length) report(file, `service.pipelines.${pipeline}: no receiver`);
    if (!parts.exporters?.length) report(file, `service.pipelines.${pipeline}: no exporter`);
  }
}

function dockerfileStages(file) {
  return [...readFileSync(file, "utf8").matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
}

function validateDockerfile(file) {
  const context = dirname(file);
  const ignored = existsSync(join(context, ".dockerignore"))
    ? readFileSync(join(context, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    : [];
  const text = readFileSync(file, "utf8").replace(/\\\n/g, " ");
  for (const [, flags, rest] of text.matchAll(/^COPY\s+((?:--\S+\s+)*)(.+)$/gim)) {
    if (/--from=/.test(flags)) continue;
    const parts = rest.trim().split(/\s+/);
    for (const source of parts.slice(0, -1)) {
      const path = source.replace(/\/$/, "");
      if (!existsSync(join(context, path))) report(file, `COPY ${source}: not in the build context`);
      else if (ignored.some((pattern) => pattern.replace(/\/$/, "") === path)) report(file, `COPY ${source}: excluded by .dockerignore`);
    }
  }
}

// kind -> kubernetes-models module and @kubernetes/client-node type, for the kinds deploy/k8s uses.
const kinds = {
  "v1/ConfigMap": "V1ConfigMap",
  "v1/Namespace": "V1Namespace",
  "v1/Secret": "V1Secret",
  "v1/Service": "V1Service",
  "v1/ServiceAccount": "V1ServiceAccount",
  "apps/v1/Deployment": "V1Deployment",
  "batch/v1/Job": "V1Job",
  "policy/v1/PodDisruptionBudget": "V1PodDisruptionBudget",
};

// Walks an object along the client's attribute maps and reports every field the API type does not have.
function unknownFields(value, type, path, found) {
  if (value == null) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, array[1], `${path}[${i}]`, found));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    for (const [key, item] of Object.entries(value)) unknownFields(item, map[1], `${path}.${key}`, found);
    return;
  }
  const model = k8sTypes[type];
  if (typeof model?.getAttributeTypeMap !== "function" || typeof value !== "object") return;
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    if (!attributes.has(key)) found.push(`${path}.${key}: unknown field (not in ${type})`);
    else unknownFields(item, attributes.get(key), `${path}.${key}`, found);
  }
}

const k8sObjects = [];

async function validateKubernetes(file) {
  const objects = readYaml(file);
  k8sObjects.push(...objects.map((object) => ({ object, file: args["k8s-label"] ?? file })));
  if (args["k8s-label"]) file = args["k8s-label"];
  if (objects.length === 0) report(file, "no Kubernetes object");
  for (const object of objects) {
    const key = `${object.apiVersion}/${object.kind}`;
    const name = `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
    const type = kinds[key];
    if (!type) {
      report(file, `${name}: ${key} is not a kind this validator knows (add it to kinds in validate.mjs)`);
      continue;
    }
    const module = await import(`kubernetes-models/${object.apiVersion}/${object.kind}`);
    try {
      new module[object.kind](object).validate();
    } catch (error) {
      report(file, `${name}: ${error.message}`);
    }
    const found = [];
    unknownFields(object, type, object.kind, found);
    for (const message of found) report(file, `${name}: ${message}`);
  }
}

function serviceStageEnv(file) {
  const env = {};
  let inService = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (/^FROM\s/i.test(line)) inService = /\sAS\s+service\s*$/i.test(line);
    const match = inService && /^ENV\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2].trim();
  }
  return env;
}

const authKeys = ["Cables__Auth__Issuer", "Cables__Auth__Audience"];

function validateAuth() {
  const image = serviceStageEnv(args.dockerfile);
  if (image.Cables__Auth__Mode !== "Jwt") report(args.dockerfile, "the service stage does not set Cables__Auth__Mode=Jwt");
  const keyFile = image.Cables__Auth__SigningKeyFiles__0;
  if (!keyFile) return report(args.dockerfile, "the service stage names no Cables__Auth__SigningKeyFiles__0");
  const keyFolder = keyFile.slice(0, keyFile.lastIndexOf("/"));

  if (args.compose) {
    const [compose] = readYaml(args.compose);
    for (const [name, service] of Object.entries(compose?.services ?? {})) {
      if (service.build?.target !== "service") continue;
      const env = Array.isArray(service.environment)
        ? Object.fromEntries(service.environment.map((e) => [e.split("=")[0], e.split("=").slice(1).join("=")]))
        : service.environment ?? {};
      for (const key of authKeys) if (!env[key]) report(args.compose, `services.${name}.environment: no ${key}`);
      if (env.Cables__Auth__Mode && env.Cables__Auth__Mode !== "Jwt") report(args.compose, `services.${name}: Cables__Auth__Mode is ${env.Cables__Auth__Mode}, not Jwt`);
      const targets = (service.volumes ?? []).map((m) => (typeof m === "string" ? m.split(":")[1] : m.target));
      if (!targets.includes(keyFolder)) report(args.compose, `services.${name}.volumes: nothing mounted at ${keyFolder} (the signing key)`);
    }
  }

  if (args.k8s.length > 0) {
    const configMaps = new Map(k8sObjects.filter(({ object }) => object.kind === "ConfigMap").map(({ object }) => [object.metadata?.name, object.data ?? {}]));
    const deployments = k8sObjects.filter(({ object }) => object.kind === "Deployment");
    if (deployments.length === 0) report(args["k8s-label"] ?? args.k8s[0], "no Deployment to check for authentication");
    for (const { object, file } of deployments) {
      const pod = object.spec?.template?.spec ?? {};
      for (const container of pod.containers ?? []) {
        const where = `Deployment/${object.metadata?.name}: container ${container.name}`;
        const env = {};
        for (const source of container.envFrom ?? []) Object.assign(env, configMaps.get(source.configMapRef?.name) ?? {});
        for (const variable of container.env ?? []) env[variable.name] = variable.value ?? "(from a reference)";
        for (const key of authKeys) if (!env[key]) report(file, `${where}: no ${key} (env or a ConfigMap)`);
        if (env.Cables__Auth__Mode && env.Cables__Auth__Mode !== "Jwt") report(file, `${where}: Cables__Auth__Mode is ${env.Cables__Auth__Mode}, not Jwt`);
        const mount = (container.volumeMounts ?? []).find((m) => m.mountPath === keyFolder);
        const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
        if (!volume?.secret?.secretName) report(file, `${where}: no Secret mounted at ${keyFolder} (the signing key)`);
        else if (!k8sObjects.some(({ object: o }) => o.kind === "Secret" && o.metadata?.name === volume.secret.secretName)) {
          report(file, `${where}: Secret ${volume.secret.secretName} is not among the manifests`);
        }
      }
    }
  }
}

if (args.compose) validateCompose(args.compose);
if (args.collector) validateCollector(args.collector);
if (args.dockerfile) validateDockerfile(args.dockerfile);
for (const file of args.k8s) await validateKubernetes(file);
if (args.dockerfile) validateAuth();

for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
