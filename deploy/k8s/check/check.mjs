// Checks deploy/ without a cluster:
//   - every file the kustomization lists exists, and every manifest is listed;
//   - every object validates against the Kubernetes API's schema for its
//     apiVersion and kind (kubernetes-models: types, required fields, formats);
//   - the pods keep the project's rules: a non-root, read-only-root-filesystem
//     security context, no privilege escalation, resource requests and limits,
//     native gRPC probes for the services, Secrets for TLS and tokens, and one
//     replica of storage-svc;
//   - the Dockerfile passes dockerfile-utils' linter.
//
//   node check.mjs DEPLOY_DIR          check the repository's deploy/ directory
//   node check.mjs --expect-failure F  check manifest F alone; succeed only if it fails
//
// Prints each problem as "file: kind/name: what" and exits 1 if there is any.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const problems = [];
const problem = (file, object, what) => {
  const name = object ? `${object.kind}/${object.metadata?.name ?? "?"}: ` : "";
  problems.push(`${file}: ${name}${what}`);
};

// The kubernetes-models class for an object: "apps/v1" + "Deployment" is
// kubernetes-models/apps/v1/Deployment, core "v1" + "Service" is
// kubernetes-models/v1/Service.
function modelFor(object) {
  try {
    return require(`kubernetes-models/${object.apiVersion}/${object.kind}`)[object.kind];
  } catch {
    return undefined;
  }
}

function readManifest(file) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  const objects = [];
  for (const document of documents) {
    for (const error of document.errors) problem(file, null, `YAML: ${error.message}`);
    const object = document.toJS();
    if (object) objects.push(object);
  }
  return objects;
}

function validateSchema(file, object) {
  if (!object.apiVersion || !object.kind) {
    problem(file, object, "has no apiVersion or kind");
    return;
  }
  const Model = modelFor(object);
  if (!Model) {
    problem(file, object, `unknown kind ${object.kind} in ${object.apiVersion}`);
    return;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problem(file, object, `schema: ${error.message}`);
  }
}

// The pod template of a workload, if it has one.
function podSpecOf(object) {
  switch (object.kind) {
    case "Deployment":
    case "StatefulSet":
      return object.spec?.template?.spec;
    case "CronJob":
      return object.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

function checkPod(file, object, pod) {
  const security = pod.securityContext ?? {};
  if (security.runAsNonRoot !== true) problem(file, object, "pod must set runAsNonRoot: true");
  if (!(security.runAsUser > 0)) problem(file, object, "pod must run as a non-zero runAsUser");
  if (security.seccompProfile?.type !== "RuntimeDefault") {
    problem(file, object, "pod must use the RuntimeDefault seccomp profile");
  }
  if (pod.automountServiceAccountToken !== false) {
    problem(file, object, "pod must not mount a service account token (it needs none)");
  }
  const volumes = new Map((pod.volumes ?? []).map((volume) => [volume.name, volume]));
  for (const claim of object.spec?.volumeClaimTemplates ?? []) {
    volumes.set(claim.metadata?.name, { persistentVolumeClaim: claim });
  }
  for (const container of pod.containers ?? []) {
    const where = `container ${container.name}`;
    const context = container.securityContext ?? {};
    if (context.readOnlyRootFilesystem !== true) {
      problem(file, object, `${where} must set readOnlyRootFilesystem: true`);
    }
    if (context.allowPrivilegeEscalation !== false) {
      problem(file, object, `${where} must set allowPrivilegeEscalation: false`);
    }
    if (!(context.capabilities?.drop ?? []).includes("ALL")) {
      problem(file, object, `${where} must drop all capabilities`);
    }
    for (const kind of ["requests", "limits"]) {
      const resources = container.resources?.[kind] ?? {};
      if (!resources.cpu || !resources.memory) {
        problem(file, object, `${where} must set cpu and memory ${kind}`);
      }
    }
    if (/:latest$/.test(container.image ?? "") || !/:/.test(container.image ?? "")) {
      problem(file, object, `${where} must name an image version, not latest`);
    }
    const args = container.args ?? [];
    const flag = (name) => args.find((arg) => arg.startsWith(`${name}=`))?.split("=")[1];
    for (const mount of container.volumeMounts ?? []) {
      if (!volumes.has(mount.name)) {
        problem(file, object, `${where} mounts ${mount.name}, which is no volume of the pod`);
      }
    }
    // The services: TLS and tokens from Secrets, native gRPC probes on the
    // plaintext health port.
    if (object.kind === "CronJob") continue;
    for (const [name, wanted] of [
      ["--tls-cert", "secret"],
      ["--tokens", "secret"],
    ]) {
      const value = flag(name);
      const mount = (container.volumeMounts ?? []).find(
        (m) => value && value.startsWith(m.mountPath + "/"),
      );
      if (!value || !mount || !volumes.get(mount.name)?.[wanted]) {
        problem(file, object, `${where} must read ${name} from a mounted Secret`);
      }
    }
    const health = Number(flag("--health-listen")?.split(":").pop());
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      if (!container[probe]?.grpc) {
        problem(file, object, `${where} must have a native gRPC ${probe}`);
      } else if (container[probe].grpc.port !== health) {
        problem(file, object, `${where} ${probe} must use the --health-listen port (${health})`);
      }
    }
  }
}

function checkObject(file, object) {
  validateSchema(file, object);
  const pod = podSpecOf(object);
  if (pod) checkPod(file, object, pod);
  if (object.kind === "StatefulSet" && object.spec?.replicas !== 1) {
    problem(file, object, "storage-svc is RocksDB's single writer: replicas must be 1");
  }
  if (object.kind === "Service" && object.spec?.clusterIP !== "None") {
    problem(file, object, "must be headless (clusterIP: None), so gRPC can balance over pods");
  }
}

function checkDeploy(deployDir) {
  const k8s = path.join(deployDir, "k8s");
  const kustomization = parseAllDocuments(
    readFileSync(path.join(k8s, "kustomization.yaml"), "utf8"),
  )[0].toJS();
  const listed = new Set(kustomization.resources ?? []);
  for (const resource of listed) {
    if (!existsSync(path.join(k8s, resource))) {
      problem("kustomization.yaml", null, `lists ${resource}, which does not exist`);
    }
  }
  for (const entry of readdirSync(k8s)) {
    if (entry.endsWith(".yaml") && entry !== "kustomization.yaml" && !listed.has(entry)) {
      problem("kustomization.yaml", null, `does not list ${entry}`);
    }
  }
  const kinds = new Map();
  for (const resource of listed) {
    const file = path.join(k8s, resource);
    if (!existsSync(file)) continue;
    for (const object of readManifest(file)) {
      checkObject(resource, object);
      kinds.set(`${object.kind}/${object.metadata?.name}`, object);
    }
  }
  for (const needed of [
    "Deployment/jixiao-scoring",
    "HorizontalPodAutoscaler/jixiao-scoring",
    "Service/jixiao-scoring",
    "StatefulSet/jixiao-storage",
    "Service/jixiao-storage",
    "CronJob/jixiao-backup",
  ]) {
    if (!kinds.has(needed)) problem("kustomization.yaml", null, `has no ${needed}`);
  }
  const hpa = kinds.get("HorizontalPodAutoscaler/jixiao-scoring");
  if (hpa && hpa.spec?.metrics?.[0]?.resource?.name !== "cpu") {
    problem("scoring.yaml", hpa, "must scale on CPU");
  }

  const dockerfile = path.join(deployDir, "docker", "Dockerfile");
  const lint = require.resolve("dockerfile-utils/bin/dockerfile-utils");
  try {
    execFileSync(process.execPath, [lint, "lint", dockerfile], { stdio: "pipe" });
  } catch (error) {
    problem("docker/Dockerfile", null, `lint:\n${error.stdout}${error.stderr}`);
  }
  const text = readFileSync(dockerfile, "utf8");
  for (const target of ["scoring-svc", "storage-svc"]) {
    if (!new RegExp(`^FROM .* AS ${target}$`, "m").test(text)) {
      problem("docker/Dockerfile", null, `has no ${target} stage`);
    }
  }
  if (!/^FROM debian:12/m.test(text)) problem("docker/Dockerfile", null, "must build on Debian 12");
}

if (process.argv[2] === "--expect-failure") {
  const file = process.argv[3];
  for (const object of readManifest(file)) checkObject(path.basename(file), object);
  if (problems.length === 0) {
    console.error(`${file}: expected problems, found none`);
    process.exit(1);
  }
  console.log(problems.join("\n"));
  process.exit(0);
}

checkDeploy(process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), "../.."));
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("deploy/: every manifest validates and keeps the rules; the Dockerfile lints clean");
