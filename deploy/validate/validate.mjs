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

async function validateKubernetes(file) {
  const objects = readYaml(file);
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

if (args.compose) validateCompose(args.compose);
if (args.collector) validateCollector(args.collector);
if (args.dockerfile) validateDockerfile(args.dockerfile);
for (const file of args.k8s) await validateKubernetes(file);

for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
